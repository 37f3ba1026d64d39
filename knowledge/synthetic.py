"""Build large plausible knowledge bases for the scaling benchmark."""

from __future__ import annotations

import datetime
import itertools
import random
from dataclasses import replace

from knowledge.models import Category, Entry, KnowledgeBase

# Municipal-service vocabulary: generated questions share the everyday words of real ones
# (申請, 怎麼辦, 多少錢) so posting lists grow the way a real, bigger FAQ's would.
_SUBJECTS = """
路燈維修 垃圾清運 大型垃圾 資源回收 公園場地 里民活動中心 老人健檢 敬老卡 愛心卡 育兒津貼
托育補助 公共托嬰 幼兒園登記 路邊停車 停車月票 圖書證 借書證 獎學金 社區課程 防疫物資
機車停車格 營業登記 廣告招牌 路樹修剪 水溝清淤 噪音檢舉 流浪狗 寵物登記 狂犬病疫苗 家暴通報
志工服務 長照服務 輔具補助 急難救助 災害救助 房屋修繕補助 租屋補貼 公費疫苗 癌症篩檢 戒菸門診
道路挖掘 人行道修補 違章建築 騎樓整平 公車路線 自行車租借 運動中心 游泳池 體育場 演藝廳票券
藝文補助 里長辦公室 市民卡 低碳補助 太陽能補助 節電補助 汰換機車 電動車補助 充電樁 消防安檢
""".split()
_ACTIONS = [
    ("申請", "apply for"), ("費用", "fee for"), ("辦理時間", "hours for"), ("應備文件", "documents for"),
    ("資格", "eligibility for"), ("取消", "cancel"), ("進度查詢", "status of"), ("線上辦理", "online"),
    ("代辦", "proxy for"), ("遺失補發", "replace lost"), ("變更資料", "change details of"),
    ("申訴", "complain about"),
]
_PLACES = ["小港區", "前鎮區", "鳳山區", "林園區", "大寮區", "三民區", "苓雅區"]
_TEMPLATES = [
    "{s}{a}要怎麼辦", "請問{p}的{s}{a}", "我想問{s}{a}的問題", "{s}{a}需要帶什麼",
    "{s} {a} 去哪裡辦", "{p}{s}{a}可以線上嗎",
]


def _generated(i: int, subject: str, action: tuple[str, str], place: str, rng: random.Random) -> Entry:
    zh, en = action
    phrasings = tuple(t.format(s=subject, a=zh, p=place) for t in rng.sample(_TEMPLATES, 5))
    return Entry(
        id=f"synthetic-{i:05d}",
        category="synthetic",
        question_zh=f"{place}{subject}{zh}",
        question_en=f"{en} {subject} in {place} (synthetic {i})",
        phrasings=phrasings + (f"how to {en} service {i}",),
        keywords=(subject, zh, place),
        answer_zh=f"{place}{subject}{zh}的說明（測試資料）。",
        answer_en=f"Synthetic answer {i}.",
        source="https://example.invalid/",
        checked=datetime.date(2026, 1, 1),
    )


def synthetic_kb(kb: KnowledgeBase, n: int, seed: int = 7) -> KnowledgeBase:
    """Return a KB with n entries: kb's real entries first, then generated ones."""
    if n <= len(kb.entries):
        entries = kb.entries[:n]
        return replace(kb, entries=entries, categories=kb.categories)
    rng = random.Random(seed)
    combos = list(itertools.product(_SUBJECTS, _ACTIONS, _PLACES))
    rng.shuffle(combos)
    extra = []
    for i in range(n - len(kb.entries)):
        subject, action, place = combos[i % len(combos)]
        extra.append(_generated(i, subject, action, place, rng))
    category = Category("synthetic", "測試資料", "Synthetic", tuple(e.id for e in extra))
    return replace(kb, entries=kb.entries + tuple(extra), categories=kb.categories + (category,))
