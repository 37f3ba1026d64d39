"""The rich menu (圖文選單): a data definition, the picture drawn from it, and its deployment to LINE."""
