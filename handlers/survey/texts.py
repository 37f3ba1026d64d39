"""Strings for the satisfaction survey."""

ZH = {
    "invite.thread": "您的案件 {ref} 已結案，謝謝您的耐心。\n想請您為這次的服務打個分數（5 分最滿意）：",
    "invite.booking": "謝謝您今天到所辦理業務！想請您為這次的服務打個分數（5 分最滿意）：",
    "rate.5": "5 非常滿意",
    "rate.4": "4 滿意",
    "rate.3": "3 普通",
    "rate.2": "2 不滿意",
    "rate.1": "1 非常不滿意",
    "ask_comment": "謝謝您的評分！還有想告訴我們的嗎？可以直接輸入，或按「不用了」。",
    "ask_comment_low": "很抱歉這次沒有讓您滿意。可以告訴我們哪裡需要改進嗎？直接輸入即可，或按「不用了」。",
    "btn.skip": "不用了",
    "thanks": "謝謝您的寶貴意見，我們會持續改進。",
    "thanks_short": "謝謝您的評分！",
    "already": "您已經評分過了，謝謝！",
    "unknown": "這份問卷已無法作答，謝謝您。",
}

EN = {
    "invite.thread": "Your matter {ref} is now closed. Thank you for your patience.\n"
    "Would you rate our service (5 = very satisfied)?",
    "invite.booking": "Thank you for visiting us today! Would you rate our service (5 = very satisfied)?",
    "rate.5": "5 Very satisfied",
    "rate.4": "4 Satisfied",
    "rate.3": "3 OK",
    "rate.2": "2 Dissatisfied",
    "rate.1": "1 Very dissatisfied",
    "ask_comment": "Thank you! Anything else you'd like to tell us? Just type it, or tap \"No, thanks\".",
    "ask_comment_low": "We are sorry we did not do better. What should we improve? Just type it, or tap \"No, thanks\".",
    "btn.skip": "No, thanks",
    "thanks": "Thank you for your comments; we will keep improving.",
    "thanks_short": "Thank you for rating us!",
    "already": "You have already rated this one. Thank you!",
    "unknown": "This survey can no longer be answered. Thank you.",
}
