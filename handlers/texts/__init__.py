"""User-facing strings, one catalog per feature, each with ZH (zh-TW) and EN tables."""
