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
    # Colloquial ways of saying the same thing.
    ("戶籍騰本", "戶籍謄本"),
    ("身分證字號", "身分證號"),
    ("遺失了", "遺失"),
    ("掉在", "遺失在"),
    ("弄掉", "遺失"),
    ("搞不見", "遺失"),
    ("不知道放哪", "遺失"),
    ("仙逝", "死亡"),
    ("辭世", "死亡"),
    ("過身", "死亡"),
    ("身故", "死亡"),
    ("要錢嗎", "費用"),
    ("要付錢", "費用"),
    ("要繳錢", "費用"),
    ("費用多少", "費用"),
    ("多少費用", "費用"),
    ("手續費", "費用"),
    ("工本費", "費用"),
    ("罰金", "罰鍰"),
    ("罰多少", "罰鍰"),
    ("被罰", "罰鍰"),
    ("會罰", "罰鍰"),
    ("罰則", "罰鍰"),
    ("小寶寶", "嬰兒"),
    ("小嬰兒", "嬰兒"),
    ("剛出生", "出生"),
    ("生完", "生產"),
    ("丈夫", "配偶"),
    ("妻子", "配偶"),
    ("外配", "外籍配偶"),
    ("陸配", "大陸配偶"),
    ("週末", "假日"),
    ("周末", "假日"),
    ("禮拜天", "週日"),
    ("星期天", "週日"),
    ("線上申請", "線上申辦"),
    ("網路申請", "線上申辦"),
    ("換一個新名字", "改名"),
    ("新名字", "改名"),
    ("更名", "改名"),
    ("換姓", "改姓"),
    ("族名", "傳統名字"),
    ("搬新家", "搬家"),
    ("買新房子", "搬家"),
    ("新房子", "新家"),
    ("搬過去", "遷入"),
    ("遷過去", "遷入"),
    ("遷進去", "遷入"),
    ("遷進來", "遷入"),
    ("投訴", "申訴"),
    ("客訴", "申訴"),
    ("抱怨", "申訴"),
    ("檢舉", "申訴"),
    ("電話號碼", "電話"),
    ("連絡電話", "電話"),
    ("聯絡電話", "電話"),
    ("幾點開", "營業時間"),
    ("幾點關", "營業時間"),
    ("幾點上班", "營業時間"),
    ("幾點下班", "營業時間"),
    ("上班時間", "營業時間"),
    ("辦公時間", "營業時間"),
    ("開到幾點", "營業時間"),
    ("英文版", "英文"),
    ("英文的", "英文"),
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
    "wife": "spouse", "husband": "spouse", "partner": "spouse", "spouses": "spouse",
    "son": "child", "daughter": "child", "sons": "child", "daughters": "child", "baby": "baby",
    "babies": "baby", "infant": "baby", "father": "parent", "mother": "parent", "dad": "parent",
    "mom": "parent", "mum": "parent", "parents": "parent", "grandfather": "parent",
    "grandmother": "parent", "internet": "online", "web": "online", "website": "website",
    "slot": "appointment", "forgot": "forget", "forgotten": "forget", "locked": "lock",
    "lockout": "lock", "broken": "damage", "damaged": "damage", "torn": "damage",
    "change": "change", "changing": "change", "changed": "change", "update": "change",
    "updating": "change", "modify": "change", "correct": "correction", "wrong": "correction",
    "mistake": "correction", "error": "correction", "cellphone": "mobile", "phone": "phone",
    "telephone": "phone", "hour": "hour", "hours": "hour", "open": "open",
    # "close" is both "shut" and "near" ("close to the MRT"): it keeps its own stem, and
    # the office-hours entry lists it among its keywords.
    "closes": "close", "closed": "close", "closing": "close", "apply": "apply", "applying": "apply",
    "applied": "apply", "application": "apply",
    "renounce": "renounce", "renouncing": "renounce", "foreigner": "foreign",
    "foreigners": "foreign", "abroad": "abroad", "overseas": "abroad",
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
much very really again ok okay hi hello thanks thank possible able way someone anyone
something anything tell know like would let im ive dont cant isnt whats hey sir madam
""".split())

# Things a message can be about, as they appear in canonical text (after SYNONYMS). The first
# one a citizen names is the topic; see knowledge/topics.py.
OBJECTS: dict[str, tuple[str, ...]] = {
    "id_card": ("身分證", "id card", "identity card", "id"),
    "household_book": ("戶口名簿", "名簿", "household certificate", "household book"),
    "transcript": ("謄本", "transcript"),
    "passport": ("護照", "passport"),
    "nhi_card": ("健保卡", "健保", "nhi", "health insurance"),
    "driving": ("駕照", "行照", "駕駛執照", "行車執照", "driving license", "driver license",
                "driver s license", "driving licence"),
    "moica": ("自然人憑證", "憑證", "moica", "natural person", "citizen digital certificate"),
    "seal": ("印鑑", "seal"),
    "arc": ("居留證", "居留", "arc", "residence permit", "resident permit"),
    "doorplate": ("門牌", "doorplate", "house number"),
    "police_record": ("良民證", "刑事紀錄", "police record", "good conduct"),
    "tax": ("稅", "tax"),
    "military": ("兵役", "役男", "當兵", "服役", "military service"),
    "election": ("選舉", "投票", "選票", "vote", "election"),
    "labor_insurance": ("勞保", "labor insurance", "labour insurance"),
    "land": ("地政", "土地", "過戶", "land registration"),
}

# Words of other parts of life, none of them this office's business and none with a
# referral entry: a message naming one and nothing of ours is probably not for us.
FOREIGN_SUBJECTS: tuple[str, ...] = tuple("""
郵局 郵寄 包裹 快遞 銀行 信用卡 提款卡 金融卡 存摺 貸款 帳單 保險 保單 理賠 疫苗 打針 看病 醫生
掛號費 藥 牙醫 夜市 電影 電影院 餐廳 美食 好吃 小吃 宵夜 早餐 午餐 晚餐 咖啡 飲料 便當 牛肉麵
天氣 下雨 氣溫 幾度 颱風假 股票 股價 股市 基金 匯率 比特幣 樂透 彩券 大樂透 威力彩 統一發票 發票
高鐵 台鐵 火車 飛機 機票 航班 客運 計程車資 車票 景點 旅遊 旅行 飯店 旅館 民宿 露營 演唱會 音樂 歌
遊戲 程式 寫程式 電腦壞 手機壞 門號 攜碼 電信 網路很慢 wifi 垃圾車 垃圾 資源回收 寵物 晶片 動物
瓦斯 水費 電費 停水 停電 國民年金 退休金 勞退 獎學金 學費 補習 考試成績 租屋補貼 房租 健身
減肥 運動 冰箱 冷氣 洗衣機 衣服 鞋子 化妝 笑話 星座 算命 戀愛 男朋友分手 天空 月亮 汽車保養
機車驗 排氣 停車費 罰單 紅單 超速 拖吊 球賽 棒球 籃球 職棒 新聞 選股 工作 找工作 薪水 加班
weather rain restaurant food coffee hotel stock stocks lottery movie train flight flights bus
ticket tickets bank credit pizza recipe song music game football basketball javascript python
programming code joke jokes capital
""".split())

# Words that make a message recognisably household-registration business (besides OBJECTS).
DOMAIN_ANCHORS: tuple[str, ...] = tuple("""
戶籍 戶口 戶政 戶長 除戶 分戶 遷入 遷出 遷戶 遷徙 遷籍 報戶口 設籍 出生 嬰兒 生小孩 死亡 死亡宣告
結婚 離婚 收養 認領 監護 輔助宣告 改名 改姓 從姓 冠姓 本姓 姓氏 名字 原住民 族名 歸化 國籍 規費
罰鍰 初領 換領 補領 掛失 親等 新住民 外籍配偶 大陸配偶 1999 1996 你們 貴所 刷卡 支付 付款 案件
household registration register naturalize marry divorce birth death adopt guardian surname
transcript baby
""".split())

# Places outside Taiwan. Naming one is what matters ("在泰國過世", "born in the US"): canonical()
# adds the concept word ABROAD, which the knowledge base's 國外 entries already use, so a
# country nobody listed as a keyword still tells "abroad" from "at home". Mainland China,
# Hong Kong and Macau have entries of their own and are not in this list.
ABROAD = "國外"
ABROAD_ZH: tuple[str, ...] = tuple("""
國外 海外 外國 出國 境外 異國 他國 美國 加拿大 墨西哥 巴西 阿根廷 智利 英國 法國 德國 義大利
西班牙 葡萄牙 荷蘭 比利時 瑞士 瑞典 挪威 丹麥 芬蘭 奧地利 波蘭 捷克 俄羅斯 烏克蘭 希臘 土耳其
愛爾蘭 歐洲 美洲 非洲 南非 埃及 中東 杜拜 阿聯 以色列 沙烏地 印度 日本 韓國 南韓 北韓 泰國 越南
印尼 菲律賓 馬來西亞 新加坡 緬甸 柬埔寨 寮國 汶萊 尼泊爾 斯里蘭卡 孟加拉 巴基斯坦 蒙古 澳洲 紐西蘭
東南亞 東京 大阪 首爾 曼谷 胡志明 河內 雅加達 馬尼拉 吉隆坡 紐約 洛杉磯 舊金山 倫敦 巴黎 雪梨 墨爾本
""".split())
# 外國人/外國籍 is a person's nationality, not a place: the foreign-spouse entries, not abroad.
ABROAD_ZH_NOT_BEFORE = "人籍"
ABROAD_EN: tuple[str, ...] = tuple("""
abroad overseas usa america united states canada mexico brazil uk
britain england london france paris germany italy spain netherlands europe russia
japan tokyo osaka korea seoul thailand bangkok vietnam hanoi indonesia jakarta philippines
manila malaysia singapore india australia sydney melbourne zealand dubai africa
""".split()) + ("the us", "in us", "u s", "new york", "los angeles", "foreign country",
                "another country", "outside taiwan")

# Words that show a message is about this office ("你們幾點開", "戶政所停車"): the office's own
# details (category office_info) answer only messages that say whose details they want.
OFFICE_CATEGORIES: frozenset[str] = frozenset({"office_info"})
OFFICE_REFERENCES: tuple[str, ...] = tuple("""
你們 妳們 您們 貴所 戶政所 戶政 事務所 這裡 這邊 那裡 那邊 貴單位 你們那 櫃台 櫃檯 臨櫃 現場 洽公 辦事
所裡 小港 區公所 辦公處 1999 1996 熱線 專線 官網 網站 地址 電話 傳真
you your yours office here there registration household
""".split())
