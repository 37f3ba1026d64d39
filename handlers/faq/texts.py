"""Strings for FAQ answers, did-you-mean, the fallback and the category browser."""

ZH = {
    "documents": "📋 應備文件：",
    "source": "🔗 詳細說明：{url}",
    "referral": "ℹ️ 此項業務由「{agency}」辦理。",
    "did_you_mean": "您是想問下列哪一項呢？請點選：",
    "fallback": "抱歉，我不太確定您的問題😅\n您可以換個說法（例如「身分證遺失怎麼辦」），從「常見問題」分類查找，或點「找真人」由同仁回覆。",
    "categories": "請選擇問題分類：",
    "category_questions": "「{title}」常見問題，請點選：",
    "helpful": "👍 有幫助",
    "not_helpful": "👎 沒幫助",
    "thanks_feedback": "謝謝您的回饋！",
    "sorry_feedback": "抱歉沒能幫上忙，已記錄您的回饋。需要的話請點「找真人」，由同仁為您說明。",
    "gone": "這個問題的說明已更新或移除，請重新輸入您的問題。",
    "lang_switched": "（已切換為中文服務）",
    "more": "更多分類",
    "details_button": "詳細說明",
    "see_also": "您可能也想問：",
}

EN = {
    "documents": "📋 What to bring:",
    "source": "🔗 Details: {url}",
    "referral": "ℹ️ This is handled by {agency}.",
    "did_you_mean": "Did you mean one of these? Please tap one:",
    "fallback": "Sorry, I'm not sure what you mean.\nYou can rephrase (e.g. \"I lost my ID card\"), browse the FAQ "
    "categories, or tap \"Talk to staff\" and a person will reply.",
    "categories": "Please choose a topic:",
    "category_questions": "Questions about \"{title}\" — tap one:",
    "helpful": "👍 Helpful",
    "not_helpful": "👎 Not helpful",
    "thanks_feedback": "Thank you for your feedback!",
    "sorry_feedback": "Sorry that didn't help; your feedback was recorded. Tap \"Talk to staff\" if you'd like a person to explain.",
    "gone": "That answer has been updated or removed. Please ask your question again.",
    "lang_switched": "(Switched to English.)",
    "more": "More topics",
    "details_button": "Details",
    "see_also": "You may also want to ask:",
}
