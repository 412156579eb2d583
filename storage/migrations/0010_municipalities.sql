-- Latvia's municipalities after the administrative-territorial reform of
-- 1 July 2021: the seven state cities (valstspilsētas) that are
-- municipalities of their own, and the 36 novadi (Varakļānu novads among
-- them, kept by the Constitutional Court's ruling). Municipal coordinators
-- (¶28) work for one of them, adult-education coordinators (¶8) may.
--
-- The code is the project's own stable key (ASCII, lower case), not the
-- ATVK classifier code: it never changes once a row is referenced. Names
-- are the official Latvian ones, as the Platform shows them.

CREATE TABLE municipalities (
    code text PRIMARY KEY,
    name text NOT NULL,
    kind text NOT NULL,

    CONSTRAINT municipalities_code_format CHECK (code ~ '^[a-z0-9_]{2,40}$'),
    CONSTRAINT municipalities_name_key UNIQUE (name),
    CONSTRAINT municipalities_kind_known CHECK (kind IN ('valstspilsēta', 'novads'))
);

COMMENT ON TABLE municipalities IS 'Reference data: every Latvian municipality since the 2021 reform.';

INSERT INTO municipalities (code, name, kind) VALUES
    ('daugavpils', 'Daugavpils', 'valstspilsēta'),
    ('jelgava',    'Jelgava',    'valstspilsēta'),
    ('jurmala',    'Jūrmala',    'valstspilsēta'),
    ('liepaja',    'Liepāja',    'valstspilsēta'),
    ('rezekne',    'Rēzekne',    'valstspilsēta'),
    ('riga',       'Rīga',       'valstspilsēta'),
    ('ventspils',  'Ventspils',  'valstspilsēta'),

    ('adazu_novads',          'Ādažu novads',          'novads'),
    ('aizkraukles_novads',    'Aizkraukles novads',    'novads'),
    ('aluksnes_novads',       'Alūksnes novads',       'novads'),
    ('augsdaugavas_novads',   'Augšdaugavas novads',   'novads'),
    ('balvu_novads',          'Balvu novads',          'novads'),
    ('bauskas_novads',        'Bauskas novads',        'novads'),
    ('cesu_novads',           'Cēsu novads',           'novads'),
    ('dienvidkurzemes_novads','Dienvidkurzemes novads','novads'),
    ('dobeles_novads',        'Dobeles novads',        'novads'),
    ('gulbenes_novads',       'Gulbenes novads',       'novads'),
    ('jekabpils_novads',      'Jēkabpils novads',      'novads'),
    ('jelgavas_novads',       'Jelgavas novads',       'novads'),
    ('kekavas_novads',        'Ķekavas novads',        'novads'),
    ('kraslavas_novads',      'Krāslavas novads',      'novads'),
    ('kuldigas_novads',       'Kuldīgas novads',       'novads'),
    ('limbazu_novads',        'Limbažu novads',        'novads'),
    ('livanu_novads',         'Līvānu novads',         'novads'),
    ('ludzas_novads',         'Ludzas novads',         'novads'),
    ('madonas_novads',        'Madonas novads',        'novads'),
    ('marupes_novads',        'Mārupes novads',        'novads'),
    ('ogres_novads',          'Ogres novads',          'novads'),
    ('olaines_novads',        'Olaines novads',        'novads'),
    ('preilu_novads',         'Preiļu novads',         'novads'),
    ('rezeknes_novads',       'Rēzeknes novads',       'novads'),
    ('ropazu_novads',         'Ropažu novads',         'novads'),
    ('salaspils_novads',      'Salaspils novads',      'novads'),
    ('saldus_novads',         'Saldus novads',         'novads'),
    ('saulkrastu_novads',     'Saulkrastu novads',     'novads'),
    ('siguldas_novads',       'Siguldas novads',       'novads'),
    ('smiltenes_novads',      'Smiltenes novads',      'novads'),
    ('talsu_novads',          'Talsu novads',          'novads'),
    ('tukuma_novads',         'Tukuma novads',         'novads'),
    ('valkas_novads',         'Valkas novads',         'novads'),
    ('valmieras_novads',      'Valmieras novads',      'novads'),
    ('varaklanu_novads',      'Varakļānu novads',      'novads'),
    ('ventspils_novads',      'Ventspils novads',      'novads');
