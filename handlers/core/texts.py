"""Strings for the welcome, the menu and the polite answers to odd input."""

ZH = {
    "welcome": "{name}您好！我是高雄市小港戶政事務所的「戶政小幫手」🙂\n"
    "可以幫您查詢申辦須知、預約臨櫃、查詢案件進度，或把問題轉給承辦同仁。\n"
    "請點選下方選單，或直接輸入您的問題。\nFor English, tap \"English\".",
    "menu": "請問需要什麼服務呢？請點選下方選單，或直接輸入您的問題。",
    "menu_again": "好的，已回到主選單。",
    "timed_out": "上一段對話已逾時，我們從主選單重新開始。",
    "expired": "這個按鈕所屬的選單已過期，為避免誤操作，沒有執行任何動作。請從目前的選單重新選擇。",
    "unknown_postback": "抱歉，這個按鈕目前無法使用。請從選單重新選擇。",
    "sticker": "謝謝您的貼圖😊 我看得懂文字訊息，請輸入問題或點選選單。",
    "media": "抱歉，小幫手目前無法讀取圖片、影片、語音或檔案。請以文字描述您的問題，或點「找真人」由同仁協助。",
    "unsupported": "抱歉，這類訊息小幫手還看不懂。請輸入文字或點選選單。",
    "error": "抱歉，系統剛剛出了點狀況，您的訊息已記錄。請稍後再試，或點「找真人」由同仁協助。",
    "empty": "請輸入您的問題，或點選下方選單。",
    "lang_set": "已切換為中文服務。",
    "not_ready": "這項服務即將開放，請先點選其他選單，或點「找真人」由同仁協助。",
    "menu.faq": "常見問題",
    "menu.booking": "預約臨櫃",
    "menu.progress": "查詢進度",
    "menu.feedback": "意見反映",
    "menu.info": "服務資訊",
    "menu.human": "找真人",
    "menu.my_bookings": "我的預約",
    "menu.home_visit": "行動戶政所",
    "menu.lang": "English",
    "menu.main": "主選單",
    "menu.cancel": "取消",
}

EN = {
    "welcome": "Hello {name}! I am the assistant of the Siaogang Household Registration Office, Kaohsiung.\n"
    "I can answer questions about our services, book a counter visit, check an application, "
    "or pass your question to our staff.\nTap a button below or type your question.",
    "menu": "How can I help? Tap a button below or type your question.",
    "menu_again": "OK, back to the main menu.",
    "timed_out": "Our last conversation timed out, so let's start again from the menu.",
    "expired": "That button belongs to a menu that has expired, so nothing was done. Please choose from the current menu.",
    "unknown_postback": "Sorry, that button is no longer available. Please choose from the menu.",
    "sticker": "Thanks for the sticker! I understand text messages: type a question or tap the menu.",
    "media": "Sorry, I can't read images, videos, voice messages or files. Please describe your question in text, "
    "or tap \"Talk to staff\".",
    "unsupported": "Sorry, I can't handle this kind of message yet. Please type text or use the menu.",
    "error": "Sorry, something went wrong on our side; your message was recorded. Please try again later, "
    "or tap \"Talk to staff\".",
    "empty": "Please type your question or tap the menu.",
    "lang_set": "Switched to English.",
    "not_ready": "This service is coming soon. Please choose another option, or tap \"Talk to staff\".",
    "menu.faq": "FAQ",
    "menu.booking": "Book a visit",
    "menu.progress": "Case status",
    "menu.feedback": "Feedback",
    "menu.info": "Office info",
    "menu.human": "Talk to staff",
    "menu.my_bookings": "My bookings",
    "menu.home_visit": "Home visit",
    "menu.lang": "中文",
    "menu.main": "Menu",
    "menu.cancel": "Cancel",
}
