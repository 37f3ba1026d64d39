"""Strings for case progress lookups, the opt-in, and the notices pushed about a case."""

ZH = {
    "ask_case": "請輸入案件編號（印在收件單上，英文字母及數字）。\n輸入「取消」可回到主選單。",
    "bad_case": "案件編號格式不太對，請再輸入一次收件單上的案件編號（英文字母及數字，例如 A1150001）。",
    "ask_phone": "請輸入申請時所留電話號碼的「末四碼」，以確認是您本人的案件。",
    "bad_phone": "請輸入 4 位數字，也就是申請時所留電話號碼的最後四碼。",
    "not_found": "查無符合的案件。請再輸入一次申請時所留電話的「末四碼」；若案件編號有誤，請點「查詢其他案件」重新輸入。"
    "如有疑問，請點「找真人」由同仁協助。",
    "locked": "查詢錯誤次數過多，為保護申請人資料，查詢功能暫停使用，請於 {until} 後再試，或點「找真人」由同仁協助。",
    "case_locked": "為保護申請人資料，這個案件的線上查詢已暫時停止（{until} 後恢復）。"
    "如果是您本人的案件，請於上班時間來電或臨櫃洽詢本所，同仁會為您確認進度；也可以點「找真人」留言。",
    "busy": "目前查詢錯誤的次數異常偏多，為保護申請人資料，線上查詢暫停至 {until}。"
    "急需進度請於上班時間來電或臨櫃洽詢本所，或點「找真人」留言。",
    "digits_alone": "如要查詢案件進度，請點「查詢進度」，先輸入案件編號，再輸入電話末四碼。",
    "card.title": "案件進度",
    "card.subtitle": "案件編號 {case_no}",
    "card.service": "申辦項目：{service}",
    "card.status": "目前狀態：{status}",
    "card.updated": "最後更新：{when}",
    "card.hours": "🕗 服務時間：{hours}",
    "card.address": "📍 地址：{address}",
    "next.received": "本所已收件，將依序審核。可點「可領件時通知我」，辦妥時以 LINE 通知您。",
    "next.reviewing": "承辦同仁正在審核您的申請，請耐心等候。",
    "next.need_documents": "需補件：{missing}\n請於上班時間攜帶上述資料至本所臨櫃補件。",
    "next.need_documents_unknown": "需補件，請洽承辦同仁確認應補的文件。",
    "next.ready": "文件已可領取，請於上班時間（週一至週五，確切時段見「服務資訊」）至本所臨櫃領件。",
    "next.picked_up": "文件已領取，謝謝您的配合。",
    "next.cancelled": "此案件已撤件或取消；如有疑問，請洽承辦同仁。",
    "bring": "領件請攜帶：申請人國民身分證正本；委託他人代領時，請攜帶委託書及受託人國民身分證正本。",
    "pickup_by": "請於 {date} 前領取。",
    "offer": "可領件時通知我",
    "again": "查詢其他案件",
    "stop": "取消通知",
    "btn.map": "地圖",
    "offer_reminder": "提醒我領件",
    "followed_ready": "好的！案件 {case_no} 若過幾天仍未領件，或領件期限將到，小幫手會以 LINE 提醒您。",
    "already_following_ready": "您已設定案件 {case_no} 的領件提醒。",
    "followed": "好的！案件 {case_no} 可領件或需要補件時，小幫手會以 LINE 通知您。",
    "already_following": "您已設定案件 {case_no} 的通知，可領件時會通知您。",
    "unfollowed": "已取消案件 {case_no} 的通知。",
    "not_following": "您沒有設定案件 {case_no} 的通知。",
    "not_verified": "請先以「查詢進度」輸入案件編號及電話末四碼查詢，再設定通知。",
    "closed": "案件 {case_no} 已結案（{status}），不需設定通知。",
    "notice.ready.title": "可領件通知",
    "notice.ready.alt": "您的案件 {case_no} 已可領件",
    "notice.need_documents": "【補件通知】案件 {case_no}（{service}）需要補件：{missing}\n"
    "請於上班時間攜帶上述資料至本所臨櫃補件。如有疑問，請點「找真人」。",
    "notice.need_documents_unknown": "【補件通知】案件 {case_no}（{service}）需要補件，請洽承辦同仁確認應補的文件。",
    "reminder.day": "【領件提醒】案件 {case_no}（{service}）的文件已可領取，目前尚未領件。"
    "請於上班時間（週一至週五）至本所臨櫃領取。",
    "reminder.last": "【領件期限提醒】案件 {case_no}（{service}）的領件期限為 {date}，請記得於期限前至本所臨櫃領取。",
}

EN = {
    "ask_case": "Please type the case number printed on your receipt (letters and digits).\n"
    "Type \"Cancel\" to go back to the menu.",
    "bad_case": "That doesn't look like a case number. Please type the case number on your receipt "
    "(letters and digits, e.g. A1150001).",
    "ask_phone": "Please type the LAST 4 DIGITS of the phone number given on the application, "
    "so we know the case is yours.",
    "bad_phone": "Please type 4 digits: the last four digits of the phone number on the application.",
    "not_found": "No matching case was found. Please type the LAST 4 DIGITS of the phone number again; "
    "if the case number was wrong, tap \"Check another case\". Or tap \"Talk to staff\".",
    "locked": "Too many unsuccessful lookups. To protect applicants' data, lookups are paused until {until}. "
    "You can also tap \"Talk to staff\".",
    "case_locked": "To protect applicants' data, online lookups of this case are paused (until {until}). "
    "If it is your case, please call or visit our office during office hours and our staff will check it for you, "
    "or tap \"Talk to staff\".",
    "busy": "There are unusually many unsuccessful lookups, so online lookups are paused until {until} to protect "
    "applicants' data. Please call or visit our office during office hours, or tap \"Talk to staff\".",
    "digits_alone": "To check a case, tap \"Case status\", type the case number, then the last 4 digits.",
    "card.title": "Case status",
    "card.subtitle": "Case {case_no}",
    "card.service": "Service: {service}",
    "card.status": "Status: {status}",
    "card.updated": "Last update: {when}",
    "card.hours": "🕗 Hours: {hours}",
    "card.address": "📍 Address: {address}",
    "next.received": "We have received your application and will review it in turn. "
    "Tap \"Notify me when ready\" to get a LINE message when it is done.",
    "next.reviewing": "Our staff are reviewing your application. Thank you for your patience.",
    "next.need_documents": "Documents needed: {missing}\nPlease bring them to our counter during office hours.",
    "next.need_documents_unknown": "Documents are needed; please contact our staff to find out which.",
    "next.ready": "Your documents are ready. Please collect them at our counter during office hours "
    "(Monday to Friday; see \"Office info\" for exact hours).",
    "next.picked_up": "Your documents have been collected. Thank you.",
    "next.cancelled": "This application was withdrawn or cancelled. Please contact our staff with any questions.",
    "bring": "Please bring the applicant's national ID card. Someone collecting for the applicant needs "
    "a letter of authorisation and their own ID card.",
    "pickup_by": "Please collect them by {date}.",
    "offer": "Notify me when ready",
    "again": "Check another case",
    "stop": "Stop notices",
    "btn.map": "Map",
    "offer_reminder": "Remind me to collect",
    "followed_ready": "Done! If case {case_no} is not collected in a few days, or its pickup deadline is near, "
    "I will remind you on LINE.",
    "already_following_ready": "You already get pickup reminders for case {case_no}.",
    "followed": "Done! I will message you on LINE when case {case_no} is ready or needs documents.",
    "already_following": "You already get notices for case {case_no}.",
    "unfollowed": "Notices for case {case_no} are stopped.",
    "not_following": "You have no notices set for case {case_no}.",
    "not_verified": "Please look the case up first (\"Case status\", case number and last 4 digits), "
    "then turn on notices.",
    "closed": "Case {case_no} is closed ({status}); no notices are needed.",
    "notice.ready.title": "Ready for pickup",
    "notice.ready.alt": "Your case {case_no} is ready for pickup",
    "notice.need_documents": "[Documents needed] Case {case_no} ({service}) needs: {missing}\n"
    "Please bring them to our counter during office hours. Questions? Tap \"Talk to staff\".",
    "notice.need_documents_unknown": "[Documents needed] Case {case_no} ({service}) needs more documents; "
    "please contact our staff to find out which.",
    "reminder.day": "[Pickup reminder] The documents for case {case_no} ({service}) are ready and not yet "
    "collected. Please come to our counter during office hours (Monday to Friday).",
    "reminder.last": "[Pickup deadline] Please collect the documents for case {case_no} ({service}) by {date}.",
}
