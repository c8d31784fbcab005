-- What became of the visits of each day at each centre: vaccinated, missed, came but not vaccinated; with the places published.
-- refreshed by: events.visit_date
-- day: the centre's local date of the visits
-- centre_id: the centre
-- voivodeship: the centre's voivodeship (TERYT code)
-- powiat: the centre's powiat (TERYT code; null when the centre has none recorded)
-- places_published: the places the centre published for the day, all products (as last published)
-- completed: visits where the dose was given
-- no_shows: visits the person missed
-- not_given: visits where the person came but was not vaccinated
WITH outcomes AS (
  SELECT
    visit_date AS day,
    centre_id,
    COUNTIF(type = 'appointment.completed') AS completed,
    COUNTIF(type = 'appointment.no_show') AS no_shows,
    COUNTIF(type = 'appointment.not_given') AS not_given
  FROM `ereg.events`
  WHERE occurred_at >= TIMESTAMP '2020-01-01'
    AND type IN ('appointment.completed', 'appointment.no_show', 'appointment.not_given')
  GROUP BY day, centre_id
),
publications AS (
  SELECT
    visit_date AS day,
    centre_id,
    CAST(JSON_VALUE(data, '$.capacity') AS INT64) AS places,
    ROW_NUMBER() OVER (PARTITION BY centre_id, visit_date ORDER BY occurred_at DESC, event_id DESC) AS latest
  FROM `ereg.events`
  WHERE occurred_at >= TIMESTAMP '2020-01-01'
    AND type = 'slots.published'
),
days AS (
  SELECT day, centre_id FROM outcomes
  UNION DISTINCT
  SELECT day, centre_id FROM publications
)
SELECT
  d.day,
  d.centre_id,
  c.voivodeship,
  c.powiat,
  COALESCE(p.places, 0) AS places_published,
  COALESCE(o.completed, 0) AS completed,
  COALESCE(o.no_shows, 0) AS no_shows,
  COALESCE(o.not_given, 0) AS not_given
FROM days AS d
LEFT JOIN publications AS p ON p.day = d.day AND p.centre_id = d.centre_id AND p.latest = 1
LEFT JOIN outcomes AS o ON o.day = d.day AND o.centre_id = d.centre_id
LEFT JOIN `ereg.centres` AS c ON c.centre_id = d.centre_id
