"""Numbered schema migrations; ``PRAGMA user_version`` records how many have run."""

from __future__ import annotations

# Each entry is one migration, run in its own transaction together with the
# version bump. Never edit a released migration: append a new one.
# Frozen with migration 4 (never edit): the 2021 Q2 reference notice as the store keeps it (see
# storage/notice_store.py) and the reference period's units, which tell a database holding it.
_NOTICE_2021Q2 = (
    r'{"office":"商南县人民政府办公室","number_prefix":"商南政办函","number_serial":56,"date":"2021-07-16","add'  # legacy-word: the notice's own words (数量)
    r'ressees":"各镇人民政府、城关街道办事处，县政府各工作部门、事业机构，市级驻商各单位：","title":"商南县人民政府办公室\n关于{期间}县政府网站信息报送及\n采用'
    r'情况的通报","opening":"按照县政府网站及政府系统政务新媒体管理工作要求，现将{季度}县政府门户网站信息报送及采用情况通报如下：","sections":[{"headi'
    r'ng":"一、总体情况","paragraphs":["{季度}，全县上下紧紧围绕县政府中心工作，认真撰写信息，组织报送了大量有价值的政务信息，着力弘扬主旋律，宣传正能量，推进“五'
    r'公开”，为县政府领导了解基层、科学决策发挥了重要作用，{月份}，县政府网站运行安全、平稳、有序，共发布各类信息{发布总数}条。其中，镇办报送信息{镇办报送}条、部门报送信息{部门报'
    r'送}条，共采用{采用总数}条，县电子政务中心采编发布{中心发布}条；主动公开财政预决算、重大项目、三大攻坚战、“六稳六保”等重点领域信息{重点领域信息}条；办理依申请公开信息{依申'
    r'请公开}件，共受理网上问政信件{问政受理}件，现已处理{问政办结}件，办结率{办结率}。从信息报送情况看，{表扬镇办}、{表扬部门}等单位信息报送数量多、质量高；在网上问政办理工作'
    r'中，{问政表扬单位}等单位能够克服困难，主动作为，及时回应群众关切。"]},{"heading":"二、存在问题","paragraphs":["（一）思想重视程度不够。个别单位对'
    r'信息报送工作重要性认识不足，对负责的栏目内容更新不及时，未能将本部门产生的信息及相关资料及时报送，出现信息稿件报送数量少或没有报送现象，其中{零报送单位数}个单位为信息零报送（附件'
    r'1、2）。","（二）信息报送不够及时。个别单位报送信息不及时，对信息报送缺乏有效管理指导，将积攒的多条信息集中一次报送，所报送信息已失去时效性，无法采纳发布。","（三）信息稿件'
    r'质量不高。一些单位未严格执行信息审核发布制度，个别单位报送的信息稿件语句不通，内容不完整，甚至还存在错字漏字、职务称谓错误、固定表述错误、重复报送、同类信息多次报送、不按网站格式要'
    r'求报送等问题，直接影响信息质量和参阅效果。"]},{"heading":"三、下一步工作要求","paragraphs":["（一）进一步加强信息内容审核把关。要严格按照《商南县人'
    r'民政府网站信息审核发布制度》要求，强化“三审三校”制度执行，在发布信息时加强审核研判，切实做好审核、签字、归档工作，对重点稿件要反复核校，坚决杜绝出现涉党史学习教育“低级红”“高级'
    r'黑”问题，以及固定错误表述，严防对网络生态造成不良影响，引发负面舆情。","（二）进一步规范基层政务公开工作。为全面贯彻落实《政府信息公开条例》和省市《全面推进基层政务公开标准化规'
    r'范化工作实施方案》要求，统筹考虑镇办、部门政务公开需求，县电子政务中心对政府网站“信息公开”栏目进行了改版。请各镇办、各部门以深化基层政务公开、提高政府公开透明度为主要目标，按照“'
    r'应公开、尽公开”原则，主动公开政府信息，特别是将行政审批、政策法规、重大项目、三大攻坚战、“六稳六保”等人民群众普遍关心、涉及群众利益的政务信息作为信息公开的重要内容，做到主动发布'
    r'、主动公开。围绕民众关注度高的社会热点、难点和焦点问题，持续强化政策解读，努力让政府工作通过网络看得见、能监督、好参与。","（三）进一步提升政府网站服务水平。由于个别部门、镇办信'
    r'息审核把关不严，在媒体上引起了不良反响，严重损害了党和政府的形象。各镇办、各部门务必要对标问题，举一反三，严格落实值班读网制度，全面排查本单位所发布的历史信息是否存在固定表述错误、'
    r'错字别字、侵犯个人隐私等问题，做到早发现、早处置。同时，请各镇办、各部门将网站信息审核发布分管领导及网站管理员信息（附件3）于{报送截止日期}前报县电子政务中心125室（联系人：张'
    r'群　传真：6322055）。"]}],"figures":{"key_area_published":174,"disclosure_handled":8,"letters_rec'
    r'eived":44,"letters_handled":44,"letters_praised":["县卫健局","试马镇"],"reply_deadline":"7月23日"},'
    r'"praised":{},"publication":"此件公开发布","signature":""}'
)

_UNITS_2021Q2 = (
    r'["过风楼镇","赵川镇","清油河镇","湘河镇","十里坪镇","富水镇","金丝峡镇","青山镇","城关街道办","试马镇","县融媒体中心","县文旅局","县司法局",'
    r'"金丝峡景区管理委员会","县科教体局","县人社局","县卫健局","县公路段","县招商服务中心","县农业农村局","县农商行","县超限站","县环境局","县公安局","'
    r'县审计局","县统计局","县机关事务服务中心","县消防大队","县审批局","阳城驿景区管委会","茶产业发展中心","县气象局","县市场局","县粮食局","县资源局","'
    r'县扶贫局","县林业局","县养老保险经办中心","县民政局","交警大队","县城管局","县电力分公司","县财政局","县经贸局","县房产管理中心","县水利局","县发改'
    r'局","县税务局","县供销联社","县退役军人局","县医保局","县信访局","县域工业集中区管委会","县住建局","县移民办","县交通局","县应急局","县畜牧中心",'
    r'"县住房公积金管理中心","县邮政局","县盐务局","县烟草局"]'
)

MIGRATIONS: list[str] = [
    # 1: groups, units, periods and their entries (counts per unit and period).
    """
    CREATE TABLE groups (
        id          INTEGER PRIMARY KEY,
        name        TEXT NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 40),
        position    INTEGER NOT NULL,
        unit_header TEXT NOT NULL DEFAULT '单位',
        annex_title TEXT NOT NULL DEFAULT '{period}{group}信息报送情况统计表'
    );
    CREATE TABLE units (
        id       INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL REFERENCES groups(id),
        name     TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40 AND name = trim(name)),
        position INTEGER NOT NULL,
        active   INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        UNIQUE (group_id, name)
    );
    CREATE TABLE periods (
        id               INTEGER PRIMARY KEY,
        key              TEXT NOT NULL UNIQUE,
        year             INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
        kind             TEXT NOT NULL CHECK (kind IN ('Q', 'M', 'Y')),
        number           INTEGER NOT NULL CHECK (number BETWEEN 1 AND 12),
        rule             TEXT NOT NULL CHECK (json_valid(rule)),
        locked           INTEGER NOT NULL DEFAULT 0 CHECK (locked IN (0, 1)),
        centre_published INTEGER CHECK (centre_published IS NULL OR
                         (typeof(centre_published) = 'integer' AND centre_published BETWEEN 0 AND 999999)),
        UNIQUE (year, kind, number)
    );
    CREATE TABLE entries (
        period_id INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
        unit_id   INTEGER NOT NULL REFERENCES units(id),
        name      TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
        position  INTEGER NOT NULL,
        submitted INTEGER NOT NULL DEFAULT 0
                  CHECK (typeof(submitted) = 'integer' AND submitted BETWEEN 0 AND 9999),
        adopted   INTEGER NOT NULL DEFAULT 0
                  CHECK (typeof(adopted) = 'integer' AND adopted BETWEEN 0 AND 9999),
        CHECK (adopted <= submitted),
        PRIMARY KEY (period_id, unit_id)
    );
    CREATE TABLE entry_metrics (
        period_id INTEGER NOT NULL,
        unit_id   INTEGER NOT NULL,
        metric    TEXT NOT NULL CHECK (metric NOT IN ('submitted', 'adopted')),
        value     INTEGER NOT NULL CHECK (typeof(value) = 'integer' AND value BETWEEN 0 AND 9999),
        PRIMARY KEY (period_id, unit_id, metric),
        FOREIGN KEY (period_id, unit_id) REFERENCES entries(period_id, unit_id) ON DELETE CASCADE
    );
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # 2: audit log: who changed what, when, from which value to which.
    """
    CREATE TABLE audit (
        id         INTEGER PRIMARY KEY,
        at         TEXT NOT NULL,
        user       TEXT NOT NULL,
        action     TEXT NOT NULL,
        period_key TEXT,
        unit_id    INTEGER,
        unit_name  TEXT,
        old        TEXT,
        new        TEXT
    );
    CREATE INDEX audit_period ON audit(period_key, unit_id);
    """,
    # 3: the register of website responsible persons (附件3), with history:
    # a change closes the current row (valid_to) and opens a new one.
    """
    CREATE TABLE register (
        id            INTEGER PRIMARY KEY,
        unit_id       INTEGER NOT NULL REFERENCES units(id),
        leader_name   TEXT NOT NULL DEFAULT '' CHECK (length(leader_name) <= 20),
        leader_title  TEXT NOT NULL DEFAULT '' CHECK (length(leader_title) <= 20),
        leader_phones TEXT NOT NULL DEFAULT '' CHECK (length(leader_phones) <= 80),
        admin_name    TEXT NOT NULL DEFAULT '' CHECK (length(admin_name) <= 20),
        admin_title   TEXT NOT NULL DEFAULT '' CHECK (length(admin_title) <= 20),
        admin_phones  TEXT NOT NULL DEFAULT '' CHECK (length(admin_phones) <= 80),
        qq            TEXT NOT NULL DEFAULT '' CHECK (qq = '' OR (qq GLOB '[1-9]*' AND length(qq) BETWEEN 5 AND 11
                                                     AND qq NOT GLOB '*[^0-9]*')),
        confirmed_on  TEXT CHECK (confirmed_on IS NULL OR date(confirmed_on) = confirmed_on),
        valid_from    TEXT NOT NULL,
        valid_to      TEXT,
        CHECK (valid_to IS NULL OR valid_to >= valid_from)
    );
    CREATE UNIQUE INDEX register_current ON register(unit_id) WHERE valid_to IS NULL;
    CREATE INDEX register_history ON register(unit_id, valid_from);
    """,
    # 4: the quarterly notice (通报) per period, and the item ledger (信息台账): items per period,
    # the per-unit source of counts, unit aliases and remembered column mappings. An existing database
    # that holds the 2021 Q2 reference period (every unit of the reference list in it) gets the reference
    # notice, frozen here as released (issue 14); any other database gets none.
    """
    CREATE TABLE notices (
        period_id INTEGER PRIMARY KEY REFERENCES periods(id) ON DELETE CASCADE,
        data      TEXT NOT NULL CHECK (
            json_valid(data) AND json_type(data) = 'object'
            AND json_type(data, '$.office') = 'text' AND length(trim(json_extract(data, '$.office'))) BETWEEN 1 AND 60
            AND json_type(data, '$.number_prefix') = 'text'
            AND length(json_extract(data, '$.number_prefix')) <= 30
            AND coalesce(json_type(data, '$.number_serial'), 'null') IN ('null', 'integer')
            AND coalesce(json_extract(data, '$.number_serial'), 1) BETWEEN 1 AND 99999
            AND coalesce(json_type(data, '$.date'), 'null') IN ('null', 'text')
            AND (json_extract(data, '$.date') IS NULL
                 OR date(json_extract(data, '$.date'), '+0 days') = json_extract(data, '$.date'))
            AND json_type(data, '$.addressees') = 'text'
            AND json_type(data, '$.title') = 'text' AND length(trim(json_extract(data, '$.title'))) >= 1
            AND json_type(data, '$.opening') = 'text'
            AND json_type(data, '$.sections') = 'array'
            AND json_type(data, '$.figures') = 'object'
            AND coalesce(json_type(data, '$.figures.key_area_published'), 'null') IN ('null', 'integer')
            AND coalesce(json_extract(data, '$.figures.key_area_published'), 0) >= 0
            AND coalesce(json_type(data, '$.figures.disclosure_handled'), 'null') IN ('null', 'integer')
            AND coalesce(json_extract(data, '$.figures.disclosure_handled'), 0) >= 0
            AND coalesce(json_type(data, '$.figures.letters_received'), 'null') IN ('null', 'integer')
            AND coalesce(json_extract(data, '$.figures.letters_received'), 0) >= 0
            AND coalesce(json_type(data, '$.figures.letters_handled'), 'null') IN ('null', 'integer')
            AND coalesce(json_extract(data, '$.figures.letters_handled'), 0) >= 0
            AND json_type(data, '$.figures.letters_praised') = 'array'
            AND json_type(data, '$.praised') = 'object'
            AND json_type(data, '$.publication') = 'text'
            AND json_type(data, '$.signature') = 'text'
        )
    );
    CREATE TABLE ledger_items (
        id           INTEGER PRIMARY KEY,
        period_id    INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
        unit_id      INTEGER NOT NULL REFERENCES units(id),
        title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300 AND title = trim(title)),
        title_key    TEXT NOT NULL CHECK (length(title_key) <= 300),
        submitted_on TEXT CHECK (submitted_on IS NULL OR date(submitted_on, '+0 days') = submitted_on),
        status       TEXT NOT NULL CHECK (status IN ('采用', '未采用', '退回')),
        published_on TEXT CHECK (published_on IS NULL OR date(published_on, '+0 days') = published_on),
        column_name  TEXT NOT NULL DEFAULT '' CHECK (length(column_name) <= 100),
        note         TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
        keep         INTEGER NOT NULL DEFAULT 0 CHECK (keep IN (0, 1)),
        source_row   INTEGER CHECK (source_row IS NULL OR (typeof(source_row) = 'integer' AND source_row >= 1)),
        CHECK (submitted_on IS NULL OR published_on IS NULL OR published_on >= submitted_on)
    );
    CREATE INDEX ledger_items_unit ON ledger_items(period_id, unit_id);
    CREATE TABLE count_sources (
        period_id INTEGER NOT NULL,
        unit_id   INTEGER NOT NULL,
        source    TEXT NOT NULL CHECK (source IN ('typed', 'derived')),
        PRIMARY KEY (period_id, unit_id),
        FOREIGN KEY (period_id, unit_id) REFERENCES entries(period_id, unit_id) ON DELETE CASCADE
    );
    CREATE TABLE unit_aliases (
        id        INTEGER PRIMARY KEY,
        unit_id   INTEGER NOT NULL REFERENCES units(id) ON DELETE CASCADE,
        alias     TEXT NOT NULL CHECK (length(alias) BETWEEN 1 AND 40 AND alias = trim(alias)),
        alias_key TEXT NOT NULL UNIQUE CHECK (length(alias_key) >= 1)
    );
    CREATE INDEX unit_aliases_unit ON unit_aliases(unit_id);
    CREATE TABLE ledger_mappings (
        signature TEXT PRIMARY KEY CHECK (length(signature) BETWEEN 1 AND 200),
        mapping   TEXT NOT NULL CHECK (json_valid(mapping) AND json_type(mapping) = 'object')
    );
    INSERT INTO notices (period_id, data)
    SELECT p.id, '""" + _NOTICE_2021Q2 + """' FROM periods p
    WHERE p.key = '2021Q2' AND NOT EXISTS (
        SELECT 1 FROM json_each('""" + _UNITS_2021Q2 + """') n
        WHERE n.value NOT IN (SELECT e.name FROM entries e WHERE e.period_id = p.id)
    )
    """,
    # 5: annex titles stored by earlier versions carried the OCR'd notice's ASCII brackets
    # (各镇(办)…); a printed title uses full-width ones (issue 19).
    """
    UPDATE groups SET annex_title = replace(replace(annex_title, '(', '（'), ')', '）')
    WHERE annex_title GLOB '*[()]*'
    """,
    # 6 (issue 16): half-year periods (kind H) in the periods table's CHECK, widened in place by the
    # documented writable_schema procedure (a rebuild would cascade-delete the entries), and decimal
    # metric values (up to 2 places, kept as exact text) in their own table beside entry_metrics.
    """
    PRAGMA writable_schema = ON;
    UPDATE sqlite_master SET sql = replace(sql, 'kind IN (''Q'', ''M'', ''Y'')', 'kind IN (''Q'', ''M'', ''H'', ''Y'')')
    WHERE type = 'table' AND name = 'periods';
    PRAGMA writable_schema = RESET;
    CREATE TABLE entry_scores (
        period_id INTEGER NOT NULL,
        unit_id   INTEGER NOT NULL,
        metric    TEXT NOT NULL CHECK (metric NOT IN ('submitted', 'adopted')),
        value     TEXT NOT NULL CHECK (typeof(value) = 'text' AND length(value) BETWEEN 1 AND 7
                  AND value GLOB '[0-9]*' AND value NOT GLOB '*[^0-9.]*' AND value NOT GLOB '*.*.*'
                  AND value NOT GLOB '*.' AND value NOT GLOB '*.[0-9][0-9][0-9]*'),
        PRIMARY KEY (period_id, unit_id, metric),
        FOREIGN KEY (period_id, unit_id) REFERENCES entries(period_id, unit_id) ON DELETE CASCADE
    )
    """,
    # 7 (issue 17): recounting a period from its ledger reads one index, not the table: the index by
    # (period, unit) becomes one that covers the count query (storage/ledger_store.py, _COUNT_SQL),
    # its rows grouped by title in id order.
    """
    DROP INDEX ledger_items_unit;
    CREATE INDEX ledger_items_count ON ledger_items(
        period_id, unit_id, title_key, id, status, keep, submitted_on, published_on
    )
    """,
    # 8 (issue 17): an item's id is never given to another item, also after the item is deleted
    # (AUTOINCREMENT): each quarter has its own undo history, and an undone deletion in one quarter
    # must find its id free although an item was added in another quarter meanwhile.
    """
    CREATE TABLE ledger_items_new (
        id           INTEGER PRIMARY KEY AUTOINCREMENT,
        period_id    INTEGER NOT NULL REFERENCES periods(id) ON DELETE CASCADE,
        unit_id      INTEGER NOT NULL REFERENCES units(id),
        title        TEXT NOT NULL CHECK (length(title) BETWEEN 1 AND 300 AND title = trim(title)),
        title_key    TEXT NOT NULL CHECK (length(title_key) <= 300),
        submitted_on TEXT CHECK (submitted_on IS NULL OR date(submitted_on, '+0 days') = submitted_on),
        status       TEXT NOT NULL CHECK (status IN ('采用', '未采用', '退回')),
        published_on TEXT CHECK (published_on IS NULL OR date(published_on, '+0 days') = published_on),
        column_name  TEXT NOT NULL DEFAULT '' CHECK (length(column_name) <= 100),
        note         TEXT NOT NULL DEFAULT '' CHECK (length(note) <= 500),
        keep         INTEGER NOT NULL DEFAULT 0 CHECK (keep IN (0, 1)),
        source_row   INTEGER CHECK (source_row IS NULL OR (typeof(source_row) = 'integer' AND source_row >= 1)),
        CHECK (submitted_on IS NULL OR published_on IS NULL OR published_on >= submitted_on)
    );
    INSERT INTO ledger_items_new (id, period_id, unit_id, title, title_key, submitted_on, status, published_on,
                                  column_name, note, keep, source_row)
        SELECT id, period_id, unit_id, title, title_key, submitted_on, status, published_on,
               column_name, note, keep, source_row FROM ledger_items;
    DROP TABLE ledger_items;
    ALTER TABLE ledger_items_new RENAME TO ledger_items;
    CREATE INDEX ledger_items_count ON ledger_items(
        period_id, unit_id, title_key, id, status, keep, submitted_on, published_on
    )
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
