-- What the engine decided for each lead, for the bank's follow-up and for reports.
ALTER TABLE leads ADD COLUMN propensity REAL NOT NULL DEFAULT 0;
ALTER TABLE leads ADD COLUMN tier TEXT NOT NULL DEFAULT 'C' CHECK (tier IN ('A', 'B', 'C'));
ALTER TABLE leads ADD COLUMN tags TEXT NOT NULL DEFAULT '{}';
