"""The rule catalogue (二、治理重点: the problem type each rule finds is cited in its explanation).

Conventions every rule keeps, so that one text runs on PostgreSQL, SQLite, DuckDB and Spark after sqlglot:
no date arithmetic in SQL (the run computes cut-off dates: RUN_PARAMETERS), no dialect functions beyond
CAST/SUBSTR/REPLACE/COALESCE, record identities as `REPLACE(CAST(lineage AS TEXT), '-', '')` (a UUID's 32 hex
digits on every engine), current versions only (`is_current = TRUE`). Joins start from the small registry side:
registry → person_key (by id_key) → household → payments (by household, the payments' leading index).
"""
from __future__ import annotations

from .. import plan
from . import Rule

_LINEAGE = "REPLACE(CAST({}.lineage AS TEXT), '-', '')"
_NEW_PAYMENT_OR_REGISTRY = "(MAX(p.id) > :since_payment OR MAX(m.batch_id) > :since_batch)"
# Incremental runs start from what is new (issue 15, speed): the payments after the watermark are an index range on
# the payments' key, and the rules join back from them to the same households' (payees') other payments by index,
# never aggregating every payment to test "new" in HAVING. Each such filter keeps whole groups, a superset of the
# groups the HAVING keeps, so the hits are identical. The engine folds the run's switches (`:since_payment = 0`,
# engine.SWITCHES) into the text before PostgreSQL plans it: a full run has no such filter at all, an incremental
# one a plain `IN (…)`, which PostgreSQL plans as a semi-join starting from the new rows (an IN or EXISTS under
# OR is never planned as a join, so a filter never ORs two of them: `_NEW_HOUSEHOLDS` unites the households instead).
# Which side drives a rule:
# - the payments (R07, R08, R09): the new payments' households (payees), then their other payments by index;
# - a small matched registry (R01–R06, R02): the households of the new payments and of the new registry rows, then
#   their keys that a registry lists (registry_key) and the registry rows by index; in a full run, the registry;
# - R10: the new payments' households when no standard is new, else every payment (two exclusive branches, of which
#   PostgreSQL runs one); R17: the new payments' households and the new registry rows' officials.
_NEW_HOUSEHOLDS = ("SELECT n.household_id FROM payment n WHERE n.id > :since_payment AND n.is_current = TRUE "
                   "AND :since_payment > 0 UNION ALL SELECT a.id FROM household a WHERE :since_payment = 0")
_NEW_PAYMENT_HOUSEHOLDS = "SELECT n.household_id FROM payment n WHERE n.id > :since_payment AND n.is_current = TRUE"
# The person keys of the households in `scope` (an incremental run's) that some registry lists, or every one (a
# full run: folded away). registry_key lists (household, id_key) of every person key a registry lists
# (services.registry_keys_refresh): a few rows per household, reached by its household index, then the person keys
# by id_key. A person key of the same id_key in another household is taken too; its household has no new payment
# or registry row (else it would be in scope), so the HAVING drops its groups, as a full run's would.
_SCOPED_KEYS = ("(SELECT kk.id, kk.id_number, kk.id_key, kk.household_id FROM person_key kk "
                "WHERE :since_payment = 0 OR kk.id_key IN (SELECT rk.id_key FROM registry_key rk "
                "WHERE rk.household_id IN (SELECT s.household_id FROM scope s))) k")
# Nested loops over indexes only (Rule.pg_settings), for the rules that start from a registry's few matches or a
# payment's few twins: left to itself PostgreSQL estimates every registry row a beneficiary and every payment over
# its standard a third of them, and hashes the person keys, households and payments whole. Measured at the issue's
# size (10,000,000 payments): R10 2.9 s to 0.02 s, R02 1.19 s to 0.43 s, R01 1.55 s to 1.09 s (before the hash
# index on id_key).
_PROBE = ("enable_hashjoin = off", "enable_mergejoin = off")


def _household_registry_rule(*, code: str, title: str, explanation: str, problem_type: int, matched: str,
                             params: dict | None = None, having: str = "") -> Rule:
    """A registry that marks a beneficiary household as wrongly identified (错评): one hit per household and
    registry record; `matched` selects (household_id, id_key, ref_table, ref_id, batch_id, note, subject) from the
    registry joined to person_key (as `person_key k`). In an incremental run only the households with a new payment
    or a new matched registry row are looked at (whole households: a group is a household's; `scope`), and the
    registry is reached from those households' keys that some registry lists (registry_key, by household, then the
    person keys and the registry by id_key), not keyed whole: the person keys `matched` joins are narrowed before
    the join. The HAVING decides as in a full run; a full run folds the narrowing away and never reads `scope`."""
    scoped = matched.replace("person_key k ON", _SCOPED_KEYS + " ON")
    assert scoped != matched, code
    sql = f"""
WITH scope AS ({_NEW_PAYMENT_HOUSEHOLDS}
               UNION ALL SELECT b.household_id FROM ({matched}) b WHERE b.batch_id > :since_batch),
m AS ({scoped})
SELECT '{code}:' || CAST(m.household_id AS TEXT) || ':' || m.subject AS subject_key,
       h.village_id AS region_id, m.household_id AS household_id, MIN(m.ref_table) AS ref_table,
       MIN(m.ref_id) AS ref_id, SUM(p.amount) AS amount, MAX(p.paid_on) AS event_date, MIN(m.note) AS note
FROM m
JOIN household h ON h.id = m.household_id
JOIN payment p ON p.household_id = m.household_id AND p.is_current = TRUE
GROUP BY m.household_id, m.subject, h.village_id
HAVING {_NEW_PAYMENT_OR_REGISTRY}{having}
"""
    return Rule(code=code, title=title, explanation=explanation, problem_type=problem_type, sql=sql,
                params=params or {}, pg_settings=_PROBE)


R01 = _household_registry_rule(
    code="R01", title="享受对象是公职人员、村干部或其近亲属", problem_type=11,
    explanation=("领取扶贫资金的农户中有公职人员、村干部，或其配偶、父母、子女等近亲属。"
                 "属于第11类问题“贫困识别不精准，优亲厚友，造成错评漏评”，请核实该户是否符合识别标准、评议是否回避。"),
    matched="""
SELECT k.household_id, k.id_key AS subject, 'official' AS ref_table, o.id AS ref_id, o.batch_id, o.kind AS note
FROM official o JOIN person_key k ON k.id_key = o.id_key
UNION ALL
SELECT k.household_id, k.id_key AS subject, 'relative' AS ref_table, r.id AS ref_id, r.batch_id,
       r.relation AS note
FROM relative r JOIN person_key k ON k.id_key = r.id_key
""",
    params={"min_total": plan.R01_MIN_TOTAL}, having=" AND SUM(p.amount) >= :min_total",
)

R02 = Rule(
    code="R02", title="死亡（火化）后仍在领取", problem_type=16,
    explanation=("民政、公安的死亡或火化记录显示领取人已去世，其后仍有资金发放到其名下。"
                 "属于第16类问题“虚报冒领”，请核实是否由他人冒领、是否应当停发并追回。"),
    sql="""
SELECT 'R02:' || d.id_key AS subject_key, MAX(p.village_id) AS region_id, MAX(p.household_id) AS household_id,
       'death' AS ref_table, d.id AS ref_id, SUM(p.amount) AS amount, MIN(p.paid_on) AS event_date,
       CAST(COUNT(*) AS TEXT) AS note
FROM death d
JOIN person_key k ON k.id_key = d.id_key
JOIN payment p ON p.household_id = k.household_id AND p.payee_id_number = k.id_number
                 AND p.is_current = TRUE AND p.paid_on > d.died_on
WHERE :since_payment = 0
   OR d.id IN (SELECT d2.id FROM death d2 JOIN registry_key k2 ON k2.id_key = d2.id_key
               WHERE k2.household_id IN (""" + _NEW_PAYMENT_HOUSEHOLDS + """)
               UNION ALL SELECT d3.id FROM death d3 WHERE d3.batch_id > :since_batch)
GROUP BY d.id, d.id_key
HAVING MAX(p.id) > :since_payment OR MAX(d.batch_id) > :since_batch
""",
    pg_settings=_PROBE,
)

R03 = _household_registry_rule(
    code="R03", title="享受对象家庭有登记车辆", problem_type=11,
    explanation=("农户家庭成员名下登记有小汽车等车辆（摩托车、三轮汽车、低速货车、拖拉机等生产用车除外）。"
                 "属于第11类问题“贫困识别不精准，造成错评漏评”，请核实家庭经济状况。"),
    matched="""
SELECT k.household_id, v.plate AS subject, 'vehicle' AS ref_table, v.id AS ref_id, v.batch_id,
       v.vehicle_type AS note
FROM vehicle v JOIN person_key k ON k.id_key = v.owner_key
WHERE v.vehicle_type NOT IN ('摩托车', '三轮汽车', '低速货车', '拖拉机', '电动自行车')
""",
)

R04 = _household_registry_rule(
    code="R04", title="享受对象家庭成员开办或入股企业", problem_type=11,
    explanation=("农户家庭成员是企业的法定代表人或股东（个体工商户除外）。"
                 "属于第11类问题“贫困识别不精准，造成错评漏评”，请核实企业经营和收入情况。"),
    matched="""
SELECT k.household_id, b.credit_code AS subject, 'business' AS ref_table, b.id AS ref_id, b.batch_id,
       b.role AS note
FROM business b JOIN person_key k ON k.id_key = b.id_key
WHERE b.credit_code NOT LIKE '92%'
""",
)

R05 = _household_registry_rule(
    code="R05", title="享受对象家庭购置商品房", problem_type=11,
    explanation=("农户家庭成员名下有成交金额较大的不动产购置登记。"
                 "属于第11类问题“贫困识别不精准，造成错评漏评”，请核实购房资金来源和家庭经济状况。"),
    matched="""
SELECT k.household_id, e.certificate AS subject, 'property' AS ref_table, e.id AS ref_id, e.batch_id,
       CAST(e.amount AS TEXT) AS note
FROM property e JOIN person_key k ON k.id_key = e.buyer_key
WHERE e.amount >= :min_amount
""",
    params={"min_amount": plan.R05_MIN_PROPERTY_AMOUNT},
)

R06 = _household_registry_rule(
    code="R06", title="未脱贫户成员参加企业职工养老保险", problem_type=11,
    explanation=("未脱贫户或监测户的家庭成员参加了企业职工基本养老保险，说明有稳定的企业工作收入。"
                 "属于第11类问题“贫困识别不精准，造成错评漏评”，请核实收入是否超过识别标准。"),
    matched="""
SELECT k.household_id, e.id_key AS subject, 'pension' AS ref_table, e.id AS ref_id, e.batch_id,
       'pension' AS note
FROM pension e JOIN person_key k ON k.id_key = e.id_key
JOIN household hh ON hh.id = k.household_id AND hh.poverty_status <> 'exited'
""",
)

R07 = Rule(
    code="R07", title="领取残疾补贴但无残疾登记", problem_type=16,
    explanation=("领取人领取了残疾人补贴，但残联残疾人登记中没有其记录。"
                 "属于第16类问题“虚报冒领”，请核实残疾证件。残疾人登记尚未导入时本规则不运行。"),
    sql="""
SELECT 'R07:' || k.id_key || ':' || p.fund_item AS subject_key, MAX(p.village_id) AS region_id,
       p.household_id AS household_id, 'payment' AS ref_table, MAX(p.id) AS ref_id, SUM(p.amount) AS amount,
       MAX(p.paid_on) AS event_date, p.fund_item AS note
FROM payment p
JOIN person_key k ON k.id_number = p.payee_id_number
WHERE p.is_current = TRUE AND p.fund_item LIKE '%残疾%'
  AND NOT EXISTS (SELECT 1 FROM disability dr WHERE dr.id_key = k.id_key)
  AND EXISTS (SELECT 1 FROM disability)
  AND EXISTS (SELECT 1 FROM payment n WHERE n.household_id = p.household_id AND n.is_current = TRUE
              AND n.id > :since_payment)
GROUP BY k.id_key, p.household_id, p.fund_item
HAVING MAX(p.id) > :since_payment
""",
    pg_settings=_PROBE,
)

R08 = Rule(
    code="R08", title="同一户同一期重复领取同一补贴", problem_type=16,
    explanation=("同一户在同一所属期领取了两次以上同一资金项目。"
                 "属于第16类问题“虚报冒领”，请核实是否重复发放并追回多发资金。"),
    # From the slots listed as paid twice (household_slot, kept as payments arrive: services.payment_slots_refresh),
    # never grouping every payment (issue 15, "stop duplicates with a unique key at import"): each listed slot's
    # current payments are counted again (funds_payment_slot, an index range each), so a slot a correction left
    # paid once is no hit.
    sql="""
SELECT 'R08:' || CAST(p.household_id AS TEXT) || ':' || p.fund_item || ':' || p.period AS subject_key,
       MAX(p.village_id) AS region_id, p.household_id AS household_id, 'payment' AS ref_table,
       MAX(p.id) AS ref_id, SUM(p.amount) AS amount, MAX(p.paid_on) AS event_date,
       CAST(COUNT(*) AS TEXT) AS note
FROM household_slot c
JOIN payment p ON p.household_id = c.household_id AND p.fund_item = c.fund_item AND p.period = c.period
                 AND p.is_current = TRUE
WHERE :since_payment = 0
   OR c.household_id IN (SELECT n.household_id FROM payment n WHERE n.id > :since_payment)
GROUP BY p.household_id, p.fund_item, p.period
HAVING COUNT(*) > 1
""",
)

R09 = Rule(
    code="R09", title="同一人同一期在两个乡镇领取同一补贴", problem_type=16,
    explanation=("同一领取人在同一所属期、在两个以上乡镇（街道）领取了同一资金项目。"
                 "属于第16类问题“虚报冒领”，请核实户籍和实际居住地，追回重复资金。"),
    # Two steps. c: the (payee's ID number, item, period) keys paid in two villages or more: those listed as such
    # (payee_slot, kept as payments arrive: services.payment_slots_refresh; no grouping of every payment, issue 15);
    # a person paid in two townships is among them, unless the person's payments are written under two spellings of
    # one number (two person keys with one id_key: `shared`, kept by services.person_keys_refresh), whose keys are
    # all taken. Then the original grouping by the person's key over those candidates' current payments only.
    sql="""
WITH c AS (
  SELECT g.payee_id_number, g.fund_item, g.period
  FROM payee_slot g
  WHERE :since_payment = 0
     OR g.payee_id_number IN (SELECT a.id_number FROM person_key a JOIN person_key nk ON nk.id_key = a.id_key
                              JOIN payment n ON n.payee_id_number = nk.id_number
                              WHERE n.is_current = TRUE AND n.id > :since_payment)
  UNION
  SELECT g.payee_id_number, g.fund_item, g.period
  FROM person_key s
  JOIN payment g ON g.payee_id_number = s.id_number AND g.is_current = TRUE
  WHERE s.shared = TRUE
)
SELECT 'R09:' || k.id_key || ':' || p.fund_item || ':' || p.period AS subject_key,
       MIN(p.village_id) AS region_id, MIN(p.household_id) AS household_id, 'payment' AS ref_table,
       MAX(p.id) AS ref_id, SUM(p.amount) AS amount, MAX(p.paid_on) AS event_date,
       CAST(COUNT(DISTINCT v.parent_id) AS TEXT) AS note
FROM c
JOIN payment p ON p.payee_id_number = c.payee_id_number AND p.fund_item = c.fund_item AND p.period = c.period
                 AND p.is_current = TRUE
JOIN region v ON v.id = p.village_id
JOIN person_key k ON k.id_number = p.payee_id_number
GROUP BY k.id_key, p.fund_item, p.period
HAVING COUNT(DISTINCT v.parent_id) > 1 AND MAX(p.id) > :since_payment
""",
)

R10 = Rule(
    code="R10", title="发放金额超过资金项目标准", problem_type=16,
    explanation=("一笔发放的金额超过该资金项目当期的标准（每人或每户每期的金额；按人计的乘以家庭人口）。"
                 "属于第16类问题“虚报冒领”，请核实多发原因。"),
    # x: the payments over their item's amount (a household of one or more people has a standard at least that;
    # an empty household's is 0, so its payments are all taken), found without joining the household; the exact
    # test, with the household's size, on those few. Exclusive branches: in an incremental run without a new
    # standard the slots (household, item, period: a group of the result) of the new payments that are over their
    # item's standard as x takes them (a group is a hit only if such a payment is new; joined as a DISTINCT list,
    # which PostgreSQL estimates well, and then the slots' payments by index, funds_payment_slot); else the payments over the item's amount (with a non-negative tolerance they are
    # over the standard itself: a range of funds_payment_item_amount per item) and the per-person payments of
    # empty households (funds_payment_item_amount, org_household_empty); PostgreSQL runs one side. (Review: one
    # branch with ORs instead was considered; an OR between two index paths is one scan of every payment on
    # PostgreSQL, so the branches stay, each one index path, in the one CTE x.)
    sql="""
WITH x AS (
  SELECT p.id, p.household_id, p.village_id, p.fund_item, p.period, p.amount, p.paid_on, s.id AS standard_id,
         s.batch_id, s.basis, s.amount AS standard_amount
  FROM (SELECT DISTINCT n.household_id, n.fund_item, n.period FROM payment n
        JOIN standard sn ON sn.fund_item = n.fund_item AND n.paid_on >= sn.valid_from AND n.paid_on <= sn.valid_to
        WHERE n.id > :since_payment AND n.is_current = TRUE
          AND (n.amount * 100 > sn.amount * (100 + :tolerance_percent)
               OR (sn.basis = 'person' AND (:tolerance_percent < -100
                                            OR n.household_id IN (SELECT z.id FROM household z
                                                                  WHERE z.member_count < 1))))) nh
  JOIN payment p ON p.household_id = nh.household_id AND p.fund_item = nh.fund_item AND p.period = nh.period
                   AND p.is_current = TRUE
  JOIN standard s ON s.fund_item = p.fund_item AND p.paid_on >= s.valid_from AND p.paid_on <= s.valid_to
  WHERE (p.amount * 100 > s.amount * (100 + :tolerance_percent)
         OR (s.basis = 'person' AND (:tolerance_percent < -100
                                     OR p.household_id IN (SELECT z.id FROM household z WHERE z.member_count < 1))))
    AND :since_payment > 0 AND NOT EXISTS (SELECT 1 FROM standard s2 WHERE s2.batch_id > :since_batch)
  UNION ALL
  SELECT p.id, p.household_id, p.village_id, p.fund_item, p.period, p.amount, p.paid_on, s.id AS standard_id,
         s.batch_id, s.basis, s.amount AS standard_amount
  FROM standard s
  JOIN payment p ON p.fund_item = s.fund_item AND p.paid_on >= s.valid_from AND p.paid_on <= s.valid_to
                   AND p.is_current = TRUE
  WHERE p.amount * 100 > s.amount * (100 + :tolerance_percent)
    AND (p.amount > s.amount OR :tolerance_percent < 0)
    AND (:since_payment = 0 OR EXISTS (SELECT 1 FROM standard s2 WHERE s2.batch_id > :since_batch))
  UNION ALL
  SELECT p.id, p.household_id, p.village_id, p.fund_item, p.period, p.amount, p.paid_on, s.id AS standard_id,
         s.batch_id, s.basis, s.amount AS standard_amount
  FROM standard s
  JOIN payment p ON p.fund_item = s.fund_item AND p.paid_on >= s.valid_from AND p.paid_on <= s.valid_to
                   AND p.is_current = TRUE
  WHERE s.basis = 'person' AND NOT (p.amount * 100 > s.amount * (100 + :tolerance_percent))
    AND (:tolerance_percent < -100
         OR p.household_id IN (SELECT z.id FROM household z WHERE z.member_count < 1))
    AND (:since_payment = 0 OR EXISTS (SELECT 1 FROM standard s2 WHERE s2.batch_id > :since_batch))
)
SELECT 'R10:' || CAST(x.household_id AS TEXT) || ':' || x.fund_item || ':' || x.period AS subject_key,
       MAX(x.village_id) AS region_id, x.household_id AS household_id, 'standard' AS ref_table,
       MAX(x.standard_id) AS ref_id, MAX(x.amount) AS amount, MAX(x.paid_on) AS event_date, x.fund_item AS note
FROM x
JOIN household h ON h.id = x.household_id
WHERE x.amount * 100 > (CASE WHEN x.basis = 'person' THEN x.standard_amount * h.member_count
                             ELSE x.standard_amount END) * (100 + :tolerance_percent)
GROUP BY x.household_id, x.fund_item, x.period
HAVING MAX(x.id) > :since_payment OR MAX(x.batch_id) > :since_batch
""",
    params={"tolerance_percent": plan.R10_TOLERANCE_PERCENT},
    pg_settings=_PROBE,
)

R11 = Rule(
    code="R11", title="资金下达后闲置滞留", problem_type=17,
    explanation=("资金下达超过规定天数（与统计台“闲置资金”同一口径），仍有部分既未发放到户、"
                 "也未用于项目。属于第17类问题“导致扶贫资金闲置滞留”，请督促使用或说明原因。"),
    sql=f"""
SELECT 'R11:' || {_LINEAGE.format('a')} AS subject_key, a.region_id AS region_id,
       CAST(NULL AS BIGINT) AS household_id, 'allocation' AS ref_table, a.id AS ref_id,
       a.amount - COALESCE(hp.total, 0) - COALESCE(sp.total, 0) AS amount, a.allocated_on AS event_date,
       CAST(a.amount AS TEXT) AS note
FROM allocation a
LEFT JOIN (SELECT allocation_id, SUM(amount) AS total FROM payment
           WHERE is_current = TRUE AND allocation_id IS NOT NULL GROUP BY allocation_id) hp
       ON hp.allocation_id = a.id
LEFT JOIN (SELECT allocation_id, SUM(amount) AS total FROM spending
           WHERE is_current = TRUE GROUP BY allocation_id) sp
       ON sp.allocation_id = a.id
WHERE a.is_current = TRUE AND a.allocated_on <= :idle_cutoff
  AND a.amount - COALESCE(hp.total, 0) - COALESCE(sp.total, 0) > 0
""",
    incremental=False,
)

R12 = Rule(
    code="R12", title="项目验收前支付超过预付比例", problem_type=18,
    explanation=("项目尚未验收（或支付日期早于验收日期）就支付了超过预付款比例的资金。"
                 "属于第18类问题“扶贫项目验收等环节违规操作”，请核实是否先付款后验收。"),
    sql=f"""
SELECT 'R12:' || {_LINEAGE.format('pr')} AS subject_key, pr.village_id AS region_id,
       CAST(NULL AS BIGINT) AS household_id, 'project' AS ref_table, pr.id AS ref_id, SUM(s.amount) AS amount,
       MIN(s.paid_on) AS event_date, pr.contractor AS note
FROM spending s
JOIN project pr ON pr.id = s.project_id
WHERE s.is_current = TRUE AND s.paid_before_acceptance = TRUE
GROUP BY pr.id, pr.lineage, pr.village_id, pr.contractor, pr.contract_amount, pr.budget
HAVING SUM(s.amount) * 100 > COALESCE(pr.contract_amount, pr.budget) * :advance_percent
""",
    params={"advance_percent": plan.R12_ADVANCE_PERCENT},
    incremental=False,
)

R13 = Rule(
    code="R13", title="项目录入后未公开", problem_type=19,
    explanation=("扶贫项目录入超过规定天数仍未公示（三（二）3要求项目安排和资金使用情况全部公开）。"
                 "属于第19类问题“未按规定执行扶贫资金项目公开和公示公告制度”。"),
    sql=f"""
SELECT 'R13:' || {_LINEAGE.format('pr')} AS subject_key, pr.village_id AS region_id,
       CAST(NULL AS BIGINT) AS household_id, 'project' AS ref_table, pr.id AS ref_id, pr.budget AS amount,
       CAST(NULL AS DATE) AS event_date, pr.status AS note
FROM project pr
WHERE pr.is_current = TRUE AND pr.published_at IS NULL AND pr.status <> 'cancelled'
  AND pr.created_at < :disclose_before
""",
    params={"disclose_days": plan.R13_DISCLOSE_DAYS},
    incremental=False,
)

R14 = Rule(
    code="R14", title="到户资金发放后逾期未公示", problem_type=19,
    explanation=("资金已发放到户，超过应公示日期（与农户页面“待公示”所示日期同一口径）仍未公示。"
                 "属于第19类问题“未按规定执行扶贫资金项目公开和公示公告制度”。"),
    sql="""
SELECT 'R14:' || CAST(p.village_id AS TEXT) || ':' || p.fund_item || ':' || p.period AS subject_key,
       p.village_id AS region_id, CAST(NULL AS BIGINT) AS household_id, 'payment' AS ref_table,
       MIN(p.id) AS ref_id, SUM(p.amount) AS amount, MIN(p.paid_on) AS event_date,
       CAST(COUNT(*) AS TEXT) AS note
FROM payment p
WHERE p.is_current = TRUE AND p.published_at IS NULL AND p.paid_on < :overdue_before
GROUP BY p.village_id, p.fund_item, p.period
HAVING MAX(p.id) > :since_payment OR MAX(p.paid_on) >= :prev_overdue_before
""",
)

R15 = Rule(
    code="R15", title="一家施工单位承揽乡镇过多项目资金", problem_type=18,
    explanation=("在一个乡镇（街道）的扶贫项目中，同一施工单位承揽的合同金额占比过高。"
                 "属于第18类问题“扶贫项目安排、招投标等环节以权谋私”，请核实招投标是否合规。"),
    sql="""
WITH pj AS (
  SELECT v.parent_id AS township_id, pr.contractor AS contractor,
         COALESCE(pr.contract_amount, pr.budget) AS money
  FROM project pr JOIN region v ON v.id = pr.village_id
  WHERE pr.is_current = TRUE AND pr.status <> 'cancelled' AND pr.contractor <> ''
), t AS (
  SELECT township_id, SUM(money) AS total, COUNT(*) AS n FROM pj GROUP BY township_id
), c AS (
  SELECT township_id, contractor, SUM(money) AS money, COUNT(*) AS n FROM pj GROUP BY township_id, contractor
)
SELECT 'R15:' || CAST(c.township_id AS TEXT) || ':' || c.contractor AS subject_key, c.township_id AS region_id,
       CAST(NULL AS BIGINT) AS household_id, 'region' AS ref_table, c.township_id AS ref_id, c.money AS amount,
       CAST(NULL AS DATE) AS event_date, c.contractor AS note
FROM c JOIN t ON t.township_id = c.township_id
WHERE t.n >= :min_projects AND c.money * 100 > t.total * :max_share_percent
""",
    params={"min_projects": plan.R15_MIN_PROJECTS, "max_share_percent": plan.R15_MAX_SHARE_PERCENT},
    incremental=False,
)

R16 = Rule(
    code="R16", title="村级账户支出拆分规避审批", problem_type=16,
    explanation=("同一村级账户在同一个月向同一收款人支付多笔、每笔都略低于须经审批的金额、合计达到审批金额。"
                 "属于第16类问题“对扶贫资金监管不严”，请核实是否拆分支付规避村级小微权力审批。"),
    sql="""
SELECT 'R16:' || CAST(t.account_id AS TEXT) || ':' || t.counterparty || ':'
       || SUBSTR(CAST(t.occurred_on AS TEXT), 1, 7) AS subject_key,
       MIN(t.village_id) AS region_id, CAST(NULL AS BIGINT) AS household_id, 'account_txn' AS ref_table,
       MIN(t.id) AS ref_id, SUM(t.amount) AS amount, MIN(t.occurred_on) AS event_date,
       CAST(COUNT(*) AS TEXT) AS note
FROM account_txn t
WHERE t.is_current = TRUE AND t.direction = 'out' AND t.counterparty <> ''
  AND t.amount < :approval_threshold AND t.amount * 100 >= :approval_threshold * :near_percent
GROUP BY t.account_id, t.counterparty, SUBSTR(CAST(t.occurred_on AS TEXT), 1, 7)
HAVING COUNT(*) >= :min_parts AND SUM(t.amount) >= :approval_threshold
""",
    params={"approval_threshold": plan.R16_APPROVAL_THRESHOLD, "near_percent": plan.R16_NEAR_PERCENT,
            "min_parts": plan.R16_MIN_PARTS},
    incremental=False,
)

R17 = Rule(
    code="R17", title="一名干部关联多笔亲属领取", problem_type=11,
    explanation=("同一名公职人员或村干部的近亲属所在农户领取了多笔扶贫资金。"
                 "属于第11类问题“优亲厚友”，请核实该干部是否参与评议、审核或发放并应回避。"),
    # In a full run (:since_batch = 0) every official is of a batch after it, so the IN is no filter and is folded
    # away (engine.SWITCHES); in an incremental run it starts from the new payments and registry rows (oi: the
    # officials concerned), and the relatives' households are grouped for those officials only (PostgreSQL does not
    # push a join's condition into a grouped subquery: without the filter inside, every relative would be keyed).
    sql="""
WITH oi AS (
  SELECT r2.official_id FROM relative r2 JOIN registry_key k2 ON k2.id_key = r2.id_key
  WHERE k2.household_id IN (""" + _NEW_HOUSEHOLDS + """)
  UNION ALL SELECT r3.official_id FROM relative r3 WHERE r3.batch_id > :since_batch
  UNION ALL SELECT o3.id FROM official o3 WHERE o3.batch_id > :since_batch
)
SELECT 'R17:' || o.id_key AS subject_key, MIN(p.village_id) AS region_id, CAST(NULL AS BIGINT) AS household_id,
       'official' AS ref_table, o.id AS ref_id, SUM(p.amount) AS amount, MAX(p.paid_on) AS event_date,
       CAST(COUNT(*) AS TEXT) AS note
FROM official o
JOIN (SELECT r.official_id, k.household_id, MAX(r.batch_id) AS batch_id
      FROM relative r JOIN person_key k ON k.id_key = r.id_key
      WHERE :since_batch = 0 OR r.official_id IN (SELECT oi.official_id FROM oi)
      GROUP BY r.official_id, k.household_id) rk ON rk.official_id = o.id
JOIN payment p ON p.household_id = rk.household_id AND p.is_current = TRUE
WHERE :since_batch = 0 OR o.id IN (SELECT oi.official_id FROM oi)
GROUP BY o.id, o.id_key
HAVING COUNT(*) >= :min_payments
   AND (MAX(p.id) > :since_payment OR MAX(rk.batch_id) > :since_batch OR MAX(o.batch_id) > :since_batch)
""",
    params={"min_payments": plan.R17_MIN_PAYMENTS},
    pg_settings=_PROBE,
)

RULES: list[Rule] = [R01, R02, R03, R04, R05, R06, R07, R08, R09, R10, R11, R12, R13, R14, R15, R16, R17]
