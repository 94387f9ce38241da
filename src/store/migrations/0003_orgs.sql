-- Registry vocabulary and organisations.
-- Tiers are a configurable list (rows, not a CHECK), so a bureau can add
-- one without a new binary; high_level marks the tiers that count as
-- high-level talents.
CREATE TABLE tiers (
    token TEXT PRIMARY KEY,
    zh TEXT NOT NULL,
    en TEXT NOT NULL,
    rank INTEGER NOT NULL,
    high_level INTEGER NOT NULL DEFAULT 0 CHECK (high_level IN (0, 1))
);
INSERT INTO tiers (token, zh, en, rank, high_level) VALUES
    ('strategic_scientist', '战略科学家', 'Strategic scientist', 1, 1),
    ('top_scientist', '顶尖科学家', 'Top scientist', 2, 1),
    ('leading_talent', '3551光谷领军人才', '3551 Optics Valley leading talent', 3, 1),
    ('high_level', '高层次人才', 'High-level talent', 4, 1),
    ('other', '其他', 'Other', 5, 0);

-- Industry chains and their segments (DOMAIN.md, programme 3).
CREATE TABLE chains (
    token TEXT PRIMARY KEY,
    zh TEXT NOT NULL,
    en TEXT NOT NULL
);
CREATE TABLE segments (
    token TEXT PRIMARY KEY,
    chain TEXT NOT NULL REFERENCES chains (token),
    zh TEXT NOT NULL,
    en TEXT NOT NULL
);
INSERT INTO chains (token, zh, en) VALUES
    ('optoelectronics', '光电信息', 'Optoelectronic information'),
    ('life_health', '生命健康', 'Life and health'),
    ('ai', '人工智能', 'Artificial intelligence'),
    ('industrial_software', '工业软件', 'Industrial software'),
    ('thermoelectrics', '半导体热电', 'Semiconductor thermoelectrics'),
    ('microelectronics', '微电子', 'Microelectronics');
INSERT INTO segments (token, chain, zh, en) VALUES
    ('optical_communication', 'optoelectronics', '光通信', 'Optical communication'),
    ('lasers', 'optoelectronics', '激光', 'Lasers'),
    ('infrared', 'optoelectronics', '红外', 'Infrared'),
    ('optoelectronic_chips', 'optoelectronics', '光电芯片', 'Optoelectronic chips'),
    ('synthetic_biology', 'life_health', '合成生物学', 'Synthetic biology'),
    ('biomedicine', 'life_health', '生物医药', 'Biomedicine'),
    ('medical_devices', 'life_health', '医疗器械', 'Medical devices'),
    ('multimodal_models', 'ai', '多模态大模型', 'Large multimodal models'),
    ('ai_computing', 'ai', '智能算力', 'AI computing'),
    ('cad_cae', 'industrial_software', '研发设计软件', 'Design and simulation software'),
    ('industrial_control', 'industrial_software', '工业控制软件', 'Industrial control software'),
    ('thermoelectric_materials', 'thermoelectrics', '热电材料', 'Thermoelectric materials'),
    ('thermoelectric_devices', 'thermoelectrics', '热电器件', 'Thermoelectric devices'),
    ('ic_design', 'microelectronics', '集成电路设计', 'IC design'),
    ('ic_manufacturing', 'microelectronics', '集成电路制造', 'IC manufacturing');

CREATE TABLE orgs (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,              -- NFKC-normalised
    pinyin TEXT NOT NULL,            -- "guang xun ke ji", for search and sorting
    uscc TEXT UNIQUE,                -- unified social credit code (GB 32100), upper case; NULL when unknown
    kind TEXT NOT NULL CHECK (kind IN ('leading_enterprise', 'rd_unit', 'university', 'incubator',
                                       'platform', 'bank', 'service_provider', 'other')),
    park TEXT,
    verified INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    version INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX orgs_pinyin ON orgs (pinyin, id);
CREATE INDEX orgs_kind ON orgs (kind);

CREATE TABLE org_segments (
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    segment TEXT NOT NULL REFERENCES segments (token),
    PRIMARY KEY (org_id, segment)
);
CREATE INDEX org_segments_segment ON org_segments (segment, org_id);

-- Contacts are people: phone and e-mail are personal data, encrypted at
-- rest (sealed with data.key) with a masked copy for display.
CREATE TABLE org_contacts (
    id INTEGER PRIMARY KEY,
    org_id INTEGER NOT NULL REFERENCES orgs (id),
    name TEXT NOT NULL,
    title TEXT,
    phone_enc BLOB,
    phone_masked TEXT,
    email_enc BLOB,
    email_masked TEXT
);
CREATE INDEX org_contacts_org ON org_contacts (org_id);
