"""Message catalogs, one module per feature: key -> (Chinese, English)."""
