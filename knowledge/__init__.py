"""FAQ knowledge base for 戶政小幫手 and the matcher that searches it."""

from knowledge.loader import check_knowledge_base, load_knowledge_base
from knowledge.matcher import MatchResult, Matcher, Tuning
from knowledge.models import Category, Entry, KnowledgeBase, Office, SmallTalk, SmallTalkIntent
from knowledge.normalize import detect_lang, normalize
from knowledge.synthetic import synthetic_kb

__all__ = [
    "Category", "Entry", "KnowledgeBase", "MatchResult", "Matcher", "Office", "SmallTalk",
    "SmallTalkIntent", "Tuning", "check_knowledge_base", "detect_lang", "load_knowledge_base",
    "normalize", "synthetic_kb",
]
