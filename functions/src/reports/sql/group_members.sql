-- Members of priority groups by birth year and set of groups: each person once, in the groups their latest change gave them.
-- birth_year: the year the members were born (null when their registration is not among the events)
-- groups: the set of groups they hold, as a JSON array of the groups' names (e.g. ["medical","teachers"])
-- people: people holding exactly that set
WITH latest AS (
  SELECT person_id, groups
  FROM (
    SELECT
      person_id,
      TO_JSON_STRING(JSON_QUERY(data, '$.groups')) AS groups,
      ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY occurred_at DESC, event_id DESC) AS n
    FROM `ereg.events`
    WHERE occurred_at >= TIMESTAMP '2020-01-01'
      AND type = 'patient.groups_changed'
  ) AS changes
  WHERE n = 1 AND groups <> '[]'
),
born AS (
  SELECT person_id, MIN(CAST(JSON_VALUE(data, '$.birthYear') AS INT64)) AS birth_year
  FROM `ereg.events`
  WHERE occurred_at >= TIMESTAMP '2020-01-01'
    AND type IN ('patient.registered', 'patient.registered.v2')
    AND person_id IN (SELECT person_id FROM latest)
  GROUP BY person_id
)
SELECT born.birth_year, latest.groups, COUNT(*) AS people
FROM latest
LEFT JOIN born ON born.person_id = latest.person_id
GROUP BY born.birth_year, latest.groups
