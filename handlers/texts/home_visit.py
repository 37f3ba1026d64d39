"""Strings for 行動戶政所 (home and hospital visits)."""

ZH = {
    "intro": "行動戶政所提供到府（住家、醫院或安養機構）服務，對象是無法親自到所辦理的民眾。\n"
    "請問需要服務的是哪一種情況？",
    "bad_eligibility": "請點選下方的情況之一。",
    "eligibility.senior": "65歲以上行動不便",
    "eligibility.disabled": "身心障礙",
    "eligibility.hospital": "住院或安養中",
    "eligibility.other": "以上皆非",
    "not_eligible": "行動戶政所的服務對象是 65 歲以上行動不便、身心障礙，或住院、安養中的民眾。\n"
    "其他情況可以預約臨櫃，多數案件也能委託他人代辦；不確定的話，請點「找真人」詢問承辦同仁。",
    "ask_service": "請問要辦理什麼業務？可以點選，或直接輸入（例如：身分證換領）。",
    "service.id_card": "身分證",
    "service.seal": "印鑑登記",
    "service.registration": "戶籍登記",
    "service.certificate": "自然人憑證",
    "service.other": "其他",
    "ask_other_service": "請簡單說明要辦理的業務：",
    "ask_address": "請輸入服務地址（住家、醫院或機構；醫院請寫病房號），例如：高雄市小港區○○路 100 號 3 樓。",
    "bad_address": "地址請寫完整一點（含路名與門牌，醫院請寫病房號）。",
    "ask_times": "方便的服務時間？可以點選，或直接輸入（例如：12/8 上午）。",
    "times.morning": "平日上午",
    "times.afternoon": "平日下午",
    "times.any": "都可以",
    "confirm": "請確認申請內容：\n對象：{eligibility}\n業務：{service}\n地址：{address}\n聯絡人：{name}\n電話：{phone}\n"
    "希望時間：{times}",
    "btn.submit": "送出申請",
    "filed": "已收到您的行動戶政所申請，案號 {ref}。\n{promise}\n"
    "請先準備：當事人的國民身分證、印章，以及辦理業務所需的文件；實際所需以同仁電話說明為準。",
}

EN = {
    "intro": "Our mobile office visits people who cannot come in: at home, in hospital or in a care home.\n"
    "Which of these applies?",
    "bad_eligibility": "Please tap one of the options below.",
    "eligibility.senior": "65+, limited mobility",
    "eligibility.disabled": "Disability",
    "eligibility.hospital": "In hospital/care",
    "eligibility.other": "None of these",
    "not_eligible": "Home visits are for people aged 65 or over with limited mobility, people with disabilities, "
    "and people in hospital or a care home.\nOtherwise please book a counter visit; most matters can also be "
    "done by someone you authorise. If unsure, tap \"Talk to staff\".",
    "ask_service": "What do you need done? Tap an option or type it (e.g. renew ID card).",
    "service.id_card": "ID card",
    "service.seal": "Seal registration",
    "service.registration": "Household reg.",
    "service.certificate": "Citizen certificate",
    "service.other": "Other",
    "ask_other_service": "Please describe briefly what you need done:",
    "ask_address": "Please type the address for the visit (home, hospital or care home; for a hospital, the ward "
    "and room).",
    "bad_address": "Please type a fuller address (street and number; for a hospital, the ward and room).",
    "ask_times": "When would suit you? Tap an option or type it (e.g. 12/8 morning).",
    "times.morning": "Weekday morning",
    "times.afternoon": "Weekday afternoon",
    "times.any": "Any time",
    "confirm": "Please check your request:\nFor: {eligibility}\nService: {service}\nAddress: {address}\n"
    "Contact: {name}\nPhone: {phone}\nPreferred time: {times}",
    "btn.submit": "Send request",
    "filed": "We have your home-visit request: reference {ref}.\n{promise}\n"
    "Please have ready: the person's national ID card, their seal, and the documents for the service; "
    "our staff will tell you exactly what on the phone.",
}
