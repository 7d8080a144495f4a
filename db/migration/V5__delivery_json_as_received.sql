-- Headers and the rule explanation are kept as json (the text as written) instead of jsonb: jsonb re-sorts object
-- keys, so a message delivered later from the log listed its headers in another order than the live one, and
-- nothing queries inside these columns (the log reads them whole). json is also cheaper to ingest on the hot path.
ALTER TABLE delivery ALTER COLUMN headers TYPE json USING headers::json;
ALTER TABLE delivery ALTER COLUMN rule_detail TYPE json USING rule_detail::json;
