"""The inbox flows' words, per flow, in zh-TW (ZH) and English (EN)."""
