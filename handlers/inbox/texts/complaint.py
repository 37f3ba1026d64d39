"""Strings for the complaint mailbox (意見反映)."""

ZH = {
    "intro": "您好，這裡是意見反映信箱，您的意見會由專人分案處理並回覆。\n"
    "請直接輸入想反映的內容，可以分成幾則訊息傳送；寫完請按「完成」。",
    "intro_with_text": "您好，這裡是意見反映信箱，已記下您剛才說的：\n「{text}」\n"
    "還有要補充的嗎？可以繼續輸入，寫完請按「完成」。",
    "got_part": "收到（已記下 {count} 則）。還有要補充的嗎？寫完請按「完成」。",
    "need_text": "請先輸入想反映的內容，再按「完成」。",
    "too_long": "內容已經很完整了，我們先整理到這裡。",
    "ask_category": "謝謝您。請問這次的意見屬於哪一類？",
    "bad_category": "請點選下方的類別之一。",
    "ask_consent": "為了回覆與聯繫您，是否同意提供姓名與聯絡電話？資料只用於處理這次的反映。\n"
    "不提供也可以，我們會在 LINE 上回覆您。",
    "btn.consent_yes": "同意提供",
    "btn.consent_no": "不提供",
    "reask_consent.1": "不好意思，我沒看懂。請點下方按鈕：「同意提供」會接著請您留下姓名和電話；"
    "「不提供」會直接送出，我們在 LINE 上回覆您。",
    "reask_consent.2": "想留下聯絡方式讓承辦同仁聯繫您嗎？可以直接回「同意」或「不要」，或點下方的按鈕。",
    "leave.ask": "您的意見還沒送出（已寫下 {count} 則）。要先送出，還是捨棄？",
    "btn.leave_send": "送出意見",
    "btn.leave_discard": "捨棄",
    "leave.again": "請點「送出意見」把已寫的內容交給承辦同仁，或點「捨棄」不送出。",
    "discarded": "好的，這次的意見已捨棄，沒有送出。",
    "filed": "已收到您的意見，案號 {ref}（類別：{category}）。\n{promise}\n"
    "回覆會傳到這個 LINE 帳號；如要補充，可以在收到回覆後直接回覆。",
    "filed_anonymous_note": "您選擇不留聯絡資料，我們會在 LINE 上回覆您。",
    "category.attitude": "服務態度",
    "category.process": "流程",
    "category.environment": "環境",
    "category.suggestion": "建議",
    "category.other": "其他",
}

EN = {
    "intro": "This is our feedback mailbox: your message goes to an assigned member of staff, who will answer.\n"
    "Please type what you would like to tell us; several messages are fine. Tap \"Done\" when finished.",
    "intro_with_text": "This is our feedback mailbox. We noted what you just wrote:\n\"{text}\"\n"
    "Anything to add? Keep typing, and tap \"Done\" when finished.",
    "got_part": "Got it ({count} noted). Anything else? Tap \"Done\" when finished.",
    "need_text": "Please type your feedback first, then tap \"Done\".",
    "too_long": "That is plenty of detail; let's continue.",
    "ask_category": "Thank you. What is it about?",
    "bad_category": "Please tap one of the categories below.",
    "ask_consent": "May we have your name and phone number so we can reply and contact you? "
    "They are used only for this matter.\nYou may also decline; we will still reply on LINE.",
    "btn.consent_yes": "Yes, I agree",
    "btn.consent_no": "No, thanks",
    "reask_consent.1": "Sorry, I did not catch that. Tap a button below: \"Yes, I agree\" asks for your name "
    "and phone next; \"No, thanks\" sends your feedback now and we reply on LINE.",
    "reask_consent.2": "Would you like to leave contact details so staff can reach you? Reply \"yes\" or \"no\", "
    "or tap a button below.",
    "leave.ask": "Your feedback has not been sent yet ({count} written). Send it first, or discard it?",
    "btn.leave_send": "Send feedback",
    "btn.leave_discard": "Discard",
    "leave.again": "Tap \"Send feedback\" to pass what you wrote to staff, or \"Discard\" to drop it.",
    "discarded": "All right, your feedback was discarded and not sent.",
    "filed": "Thank you, we have your feedback: reference {ref} (category: {category}).\n{promise}\n"
    "The answer comes to this LINE account; you can reply to it if you want to add something.",
    "filed_anonymous_note": "You left no contact details; we will answer on LINE.",
    "category.attitude": "Staff attitude",
    "category.process": "Procedures",
    "category.environment": "Environment",
    "category.suggestion": "Suggestion",
    "category.other": "Other",
}
