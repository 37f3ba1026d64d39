"""Strings shared by the flows that hand a citizen to staff: contact details, deadlines, thread types."""

ZH = {
    "ask_name": "請輸入您的姓名（方便承辦同仁稱呼您）：",
    "bad_name": "這裡請只輸入您的姓名（例如「王小明」或「Chen Mei-Ling」），不用其他文字。",
    "ask_phone": "請輸入聯絡電話（手機 09 開頭 10 碼，或市話含區碼，例如 07-8011234）：",
    "bad_phone": "這個號碼看起來不太對。請輸入手機（09 開頭 10 碼）或含區碼的市話，例如 0912345678 或 07-8011234。",
    "use_saved": "要使用上次留下的聯絡資料嗎？\n姓名：{name}\n電話：{phone}",
    "btn.use_saved": "使用這組資料",
    "btn.new_contact": "重新輸入",
    "btn.done": "完成",
    "btn.cancel": "取消",
    "btn.menu": "主選單",
    "promise": "承辦同仁會在 {days} 個工作天內（{day} {time} 前）回覆您。",
    "promise.home_visit": "同仁會在 {days} 個工作天內（{day} {time} 前）打電話與您確認服務時間。",
    "kind.question": "問題",
    "kind.complaint": "意見反映",
    "kind.home_visit": "行動戶政所",
}

EN = {
    "ask_name": "Please type your name (so our staff know how to address you):",
    "bad_name": "Please type just your name here (for example \"Chen Mei-Ling\"), nothing else.",
    "ask_phone": "Please type a phone number (mobile 09xxxxxxxx, or a landline with its area code, e.g. 07-8011234):",
    "bad_phone": "That number doesn't look right. Please type a mobile number (09 and 8 digits) "
    "or a landline with its area code, e.g. 0912345678 or 07-8011234.",
    "use_saved": "Shall we use the contact details you left last time?\nName: {name}\nPhone: {phone}",
    "btn.use_saved": "Use these",
    "btn.new_contact": "Type new ones",
    "btn.done": "Done",
    "btn.cancel": "Cancel",
    "btn.menu": "Menu",
    "promise": "Our staff will answer within {days} working day(s) (by {time} on {day}).",
    "promise.home_visit": "Our staff will call you within {days} working day(s) (by {time} on {day}) "
    "to agree on a time.",
    "kind.question": "Question",
    "kind.complaint": "Feedback",
    "kind.home_visit": "Home visit",
}
