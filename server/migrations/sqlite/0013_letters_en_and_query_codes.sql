-- Each letter is issued in English beside the Chinese (NULL for letters
-- issued before: they exist in Chinese only).
ALTER TABLE notices ADD COLUMN html_en TEXT;
-- The query code (查询码) that, with the case number, finds the public
-- progress page without its link; made with the link.
ALTER TABLE public_links ADD COLUMN code TEXT;
