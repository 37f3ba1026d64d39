"""Strings for 服務資訊 (office information)."""

ZH = {
    "title": "服務資訊",
    "address": "📍 地址：{value}",
    "phone": "☎️ 電話：{value}",
    "hours": "🕗 服務時間：{value}",
    "parking": "🅿️ 停車：{value}",
    "transport": "🚌 交通：{value}",
    "second_offices": "🏢 其他辦公處：{value}",
    "hotlines": "📞 專線：{value}",
    "website": "官網",
    "map": "地圖",
    "alt": "服務資訊：地址、電話、服務時間",
    "choose": "請問您要洽詢哪一個戶政事務所？選一次就會記住，之後可以按「切換戶所」更改。",
    "change": "切換戶所",
    "location": "收到您的位置，謝謝！如需本所地址與交通資訊，請點「服務資訊」。",
    "nearest": "離您最近的是{name}（直線約 {km} 公里），已設為您的戶所；要改可按「切換戶所」。",
    "send_location": "傳位置找最近戶所",
}

EN = {
    "title": "Office information",
    "address": "📍 Address: {value}",
    "phone": "☎️ Phone: {value}",
    "hours": "🕗 Hours: {value}",
    "parking": "🅿️ Parking: {value}",
    "transport": "🚌 Transport: {value}",
    "second_offices": "🏢 Other service points: {value}",
    "hotlines": "📞 Hotlines: {value}",
    "website": "Website",
    "map": "Map",
    "alt": "Office information: address, phone, hours",
    "choose": "Which household registration office would you like? We will remember it; tap \"Change office\" to switch later.",
    "change": "Change office",
    "location": "Thanks for your location! For our address and directions, tap \"Office info\".",
    "nearest": "The nearest office is {name} (about {km} km in a straight line); it is now your office. Tap \"Change office\" to switch.",
    "send_location": "Nearest office",
}
