-- Demo partners for the local default; safe to apply more than once.
INSERT OR IGNORE INTO partners (id, name) VALUES
    ('edu-demo', 'LearnBright online school'),
    ('game-demo', 'NeonArcade game community'),
    ('health-demo', 'CareLink telehealth clinic');
