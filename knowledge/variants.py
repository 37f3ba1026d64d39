"""Variant, typo and synonym tables used by normalisation and matching."""

from __future__ import annotations

# Single characters unified after OpenCC; both sides of a pair occur in real messages.
CHAR_VARIANTS: dict[str, str] = {
    "臺": "台",
    "賬": "帳",
    "証": "證",  # Japanese/Simplified-style form typed on some keyboards
    "戸": "戶",
    "户": "戶",
    "裏": "裡",
    "着": "著",
    "爲": "為",
    "綫": "線",
    "峯": "峰",
    "啓": "啟",
    "温": "溫",
    "鑒": "鑑",
    "〇": "零",
}

# Typos and regional variants of whole words, applied after OpenCC and CHAR_VARIANTS.
# Order matters only where one wrong form contains another; longer forms come first.
TYPO_VARIANTS: list[tuple[str, str]] = [
    ("身份證", "身分證"),
    ("身分正", "身分證"),
    ("身份正", "身分證"),
    ("身分症", "身分證"),
    ("身份症", "身分證"),
    ("身分政", "身分證"),
    ("身分徵", "身分證"),
    ("身份", "身分"),
    ("戶口明簿", "戶口名簿"),
    ("戶口名薄", "戶口名簿"),
    ("戶口名本", "戶口名簿"),
    ("戶口名部", "戶口名簿"),
    ("戶口明本", "戶口名簿"),
    ("戶藉", "戶籍"),
    ("騰本", "謄本"),
    ("藤本", "謄本"),
    ("膳本", "謄本"),
    ("勝本", "謄本"),
    ("印監", "印鑑"),
    ("印件證明", "印鑑證明"),
    ("自然人平證", "自然人憑證"),
    ("自然人凴證", "自然人憑證"),
    ("自然人憑正", "自然人憑證"),
    ("掛矢", "掛失"),
    ("補辨", "補辦"),
    ("申辨", "申辦"),
    ("代辨", "代辦"),
    ("辨理", "辦理"),
    ("怎麼辨", "怎麼辦"),
    ("要辨", "要辦"),
    ("去辨", "去辦"),
    ("戶政事物所", "戶政事務所"),
    ("戶政是務所", "戶政事務所"),
    ("登計", "登記"),
    ("等記", "登記"),
    ("結昏", "結婚"),
    ("健報卡", "健保卡"),
    ("居留正", "居留證"),
    ("護招", "護照"),
    ("門排", "門牌"),
]

# Synonyms rewritten to one canonical form before matching (not part of normalize()).
# Longer variants first so that "戶口謄本" wins over "戶口".
SYNONYMS: list[tuple[str, str]] = [
    ("戶口謄本", "戶籍謄本"),
    ("戶口簿", "戶口名簿"),
    ("戶口本", "戶口名簿"),
    ("戶口名簿子", "戶口名簿"),
    ("戶政事務所", "戶政所"),
    ("戶所", "戶政所"),
    ("國民身分證", "身分證"),
    ("id卡", "身分證"),
    ("身分證卡", "身分證"),
    ("搞丟", "遺失"),
    ("弄丟", "遺失"),
    ("丟掉", "遺失"),
    ("丟了", "遺失"),
    ("不見了", "遺失"),
    ("不見", "遺失"),
    ("掉了", "遺失"),
    ("弄不見", "遺失"),
    ("遺落", "遺失"),
    ("找不到", "遺失"),
    ("被偷", "失竊"),
    ("被扒", "失竊"),
    ("偷走", "失竊"),
    ("扒走", "失竊"),
    ("補發", "補領"),
    ("補辦", "補領"),
    ("重辦", "補領"),
    ("換新", "換領"),
    ("換發", "換領"),
    ("過世", "死亡"),
    ("往生", "死亡"),
    ("去世", "死亡"),
    ("逝世", "死亡"),
    ("離世", "死亡"),
    ("多少錢", "費用"),
    ("幾塊錢", "費用"),
    ("幾塊", "費用"),
    ("收費", "費用"),
    ("價錢", "費用"),
    ("規費", "費用"),
    ("罰款", "罰鍰"),
    ("罰錢", "罰鍰"),
    ("小朋友", "小孩"),
    ("孩子", "小孩"),
    ("寶寶", "嬰兒"),
    ("新生兒", "嬰兒"),
    ("老公", "配偶"),
    ("老婆", "配偶"),
    ("太太", "配偶"),
    ("先生", "配偶"),
    ("另一半", "配偶"),
    ("禮拜", "週"),
    ("星期", "週"),
    ("周六", "週六"),
    ("憑證卡", "自然人憑證"),
    ("網上", "線上"),
    ("網路", "線上"),
    ("上網", "線上"),
    ("換房子", "搬家"),
    ("換名字", "改名"),
    ("改名字", "改名"),
    ("恢復", "回復"),
    ("how much", "fee"),
    ("不認識的人", "陌生人"),
    ("看不清楚", "模糊"),
    ("看不清", "模糊"),
] + [(city, "外縣市") for city in (
    # Naming another city or county is what matters ("戶籍在台南"), not which one.
    "台北", "新北", "基隆", "桃園", "新竹", "苗栗", "台中", "彰化", "南投", "雲林", "嘉義",
    "台南", "屏東", "宜蘭", "花蓮", "台東", "澎湖", "金門", "馬祖", "連江")]

# English words mapped to a shared stem so that "registration" meets "register".
EN_SYNONYMS: dict[str, str] = {
    "registration": "register", "registering": "register", "registered": "register",
    "registry": "register", "records": "transcript", "record": "transcript",
    "transcripts": "transcript", "copy": "transcript", "copies": "transcript",
    "extract": "transcript",
    "lose": "lost", "misplaced": "lost", "missing": "lost", "losing": "lost",
    "stolen": "lost", "renewal": "renew", "renewing": "renew", "renewed": "renew",
    "replacement": "replace", "replacing": "replace", "married": "marry",
    "marriage": "marry", "marrying": "marry", "wedding": "marry",
    "divorced": "divorce", "died": "death", "dead": "death", "deceased": "death",
    "passed": "death", "dies": "death", "born": "birth", "newborn": "baby",
    "certificates": "certificate", "cert": "certificate", "fees": "fee",
    "cost": "fee", "costs": "fee", "price": "fee", "charge": "fee",
    "licence": "license", "licenses": "license", "licences": "license",
    "moving": "move", "moved": "move", "relocate": "move", "relocated": "move",
    "address": "address", "addresses": "address", "naturalise": "naturalize",
    "naturalisation": "naturalize", "naturalization": "naturalize",
    "citizenship": "naturalize", "opening": "open", "opens": "open",
    "located": "location", "appointments": "appointment", "booking": "appointment",
    "book": "appointment", "reserve": "appointment", "id": "id",
    "identity": "id", "nhi": "nhi", "subsidies": "subsidy", "allowance": "subsidy",
    "bonus": "subsidy", "children": "child", "kids": "child", "kid": "child",
    "authorise": "authorize", "authorisation": "authorize", "authorization": "authorize",
    "proxy": "authorize", "adopted": "adopt", "adoption": "adopt",
    "guardianship": "guardian", "surname": "surname", "renounce": "renounce",
    "english": "english", "speaking": "speak", "spoken": "speak",
    "parking": "park", "passports": "passport", "taxes": "tax",
    "expiring": "expire", "expired": "expire", "expiry": "expire", "expires": "expire",
}

# Household-registration words jieba should keep whole (it ships a general dictionary).
DOMAIN_WORDS: tuple[str, ...] = tuple("""
身分證 國民身分證 戶口名簿 戶籍謄本 謄本 除戶謄本 英文謄本 電子謄本 戶籍 戶籍地 戶長 戶內
自然人憑證 行動自然人憑證 讀卡機 印鑑 印鑑證明 印鑑章 印鑑登記 初領 換領 補領 掛失 撤銷掛失
遷入 遷出 遷徙 遷戶口 報戶口 住址變更 分戶 出生登記 出生證明 死亡登記 死亡證明 死亡宣告
結婚登記 結婚書約 離婚協議書 兩願離婚 判決離婚 認領 收養 終止收養 監護 監護權 監護宣告
輔助宣告 改名 改姓 從姓 從母姓 從父姓 冠姓 回復本姓 原住民 傳統名字 族名 歸化 初設戶籍
定居證 喪失國籍 回復國籍 規費 罰鍰 跨機關通報 行動戶政所 愛心親善櫃台 預約 戶政所 門牌
門牌證明 生育津貼 健保卡 居留證 護照 良民證 役男 兵役 低收入戶 勞保 親等關聯 遷徙紀錄
利害關係人 委託書 委任書 受託人 單身證明 海基會 同婚 大陸配偶 外籍配偶 新住民 生父 非婚生
日據時期 戶口調查簿 房屋所有權人 屋主 房東 租約 學區 虛報 人別確認 驗證 展期 鎖卡 解鎖
""".split())

# Characters that carry no meaning on their own; bigrams still use them.
STOP_UNIGRAMS: frozenset[str] = frozenset(
    "的了嗎呢吧啊呀喔哦啦囉我你妳您他她它是要有在和跟與及或也都就還又很可以能會請問一下"
    "這那個些什麼怎樣哪裡去來給把被讓對從到說想得著過嘛欸耶哈"
)

# Words that occur in almost any question and would only add noise.
STOP_WORDS: frozenset[str] = frozenset({
    "請問", "一下", "怎麼", "什麼", "可以", "如何", "哪裡", "是不是", "不是", "怎麼辦",
    "我要", "我的", "想要", "我想", "你們", "請教", "有沒有", "沒有", "需要", "要去", "是否",
    "的話", "怎樣", "一個", "這個", "那個", "這邊", "那邊", "因為", "所以", "但是", "然後",
    "現在", "已經", "還是", "應該", "就是", "他們", "我們", "自己", "一樣", "不會", "能不能",
    "可不可以", "要不要", "會不會", "知道", "問題", "一直", "到底", "這樣", "那樣",
})

# Words every kind of question uses ("what do I bring"): they tell documents from fees
# within a topic but must not outweigh the topic itself, so they count at a third.
GENERIC_WORDS: frozenset[str] = frozenset({
    "準備", "東西", "文件", "證件", "資料", "材料", "哪些", "帶", "申請", "辦理", "辦", "手續",
    "流程", "規定", "要求", "幫忙", "處理", "弄", "用", "做", "登記", "戶政所", "戶籍", "去",
    "時候", "問", "要", "跑", "該", "得", "嗎", "呢", "東東", "事情", "事", "家人",
    "w:bring", "w:document", "w:need", "w:apply", "w:go", "w:office", "w:household",
    "w:register", "w:taiwan", "w:do", "w:get", "w:new", "w:want", "w:kaohsiung",
})
GENERIC_FACTOR = 0.3

EN_STOPWORDS: frozenset[str] = frozenset("""
a an the i me my mine you your yours we our us he she his her they them their it its
this that these those is are was were be been being am do does did done doing have has
had having can could will would should shall may might must to of in on at for from by
with about into over as and or but if so than then there here when where what which who
whom why how please get got want wanted need needs needed just also still any some
much very really again ok okay hi hello thanks thank
""".split())
