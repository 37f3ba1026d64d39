"""Strings for 找真人 (handing the citizen to staff) and for staff answers on LINE."""

ZH = {
    "ask_question": "好的，我會請承辦同仁協助您。請輸入您想詢問的問題：",
    "need_question": "請輸入您的問題（文字即可），或按「取消」。",
    "forwarded": "已將您的問題轉給承辦同仁，案號 {ref}。\n{promise}\n回覆會傳到這個 LINE 帳號。"
    "想補充說明可以直接輸入，沒有了請按「完成」。",
    "already_open": "您的問題（案號 {ref}）已由承辦同仁處理中。\n{promise}\n想補充說明可以直接輸入，沒有了請按「完成」。",
    "added": "已補充到案號 {ref}。還有嗎？沒有了請按「完成」。",
    "done": "好的，承辦同仁回覆後會以 LINE 通知您。",
    "reply.header": "【{ref} 戶政事務所承辦同仁回覆】",
    "reply.footer_wait": "請直接輸入文字回覆，承辦同仁會看到。",
    "reply.footer": "如需補充，請點「回覆承辦同仁」。",
    "btn.write_back": "回覆承辦同仁",
    "write_back.ask": "請輸入要回覆案號 {ref} 的內容：",
    "write_back.sent": "已轉給承辦同仁（案號 {ref}），謝謝您。還有要補充的可以繼續輸入，沒有了請按「完成」。",
    "write_back.unknown": "找不到這個案件，請從主選單重新開始，或點「找真人」。",
}

EN = {
    "ask_question": "Sure, a member of staff will help you. Please type your question:",
    "need_question": "Please type your question (text), or tap \"Cancel\".",
    "forwarded": "Your question went to our staff: reference {ref}.\n{promise}\nThe answer comes to this LINE account. "
    "To add details, just type them; tap \"Done\" when finished.",
    "already_open": "Our staff are already on your question (reference {ref}).\n{promise}\n"
    "To add details, just type them; tap \"Done\" when finished.",
    "added": "Added to {ref}. Anything else? Tap \"Done\" when finished.",
    "done": "OK. You will get our staff's answer here on LINE.",
    "reply.header": "[{ref}] Answer from the Household Registration Office",
    "reply.footer_wait": "Just type your answer here; our staff will see it.",
    "reply.footer": "To add something, tap \"Reply to staff\".",
    "btn.write_back": "Reply to staff",
    "write_back.ask": "Please type your reply to {ref}:",
    "write_back.sent": "Passed to our staff ({ref}), thank you. Type more if you like; tap \"Done\" when finished.",
    "write_back.unknown": "We could not find that matter. Please start again from the menu, or tap \"Talk to staff\".",
}
