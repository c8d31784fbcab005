-- Missed visits per powiat and ISO week, for publication: a week of fewer than 10 visits in a powiat is withheld.
-- suppressed below: 10
-- week: the Monday of the ISO week of the visits
-- voivodeship: the voivodeship (TERYT code)
-- powiat: the powiat (TERYT code; null for centres with none recorded)
-- visits: visits that came to an end; null when fewer than 10
-- no_shows: of those, visits the person missed; null when visits are withheld or fewer than 10 missed
-- no_show_rate: no_shows ÷ visits (0 to 1), three decimals; null when visits are withheld
WITH weeks AS (
  SELECT week, voivodeship, powiat, SUM(visits) AS visits, SUM(no_shows) AS no_shows
  FROM `ereg.no_shows_weekly`
  GROUP BY week, voivodeship, powiat
)
SELECT
  week,
  voivodeship,
  powiat,
  IF(visits < 10, NULL, visits) AS visits,
  IF(visits < 10 OR no_shows < 10, NULL, no_shows) AS no_shows,
  IF(visits < 10, NULL, ROUND(SAFE_DIVIDE(no_shows, visits), 3)) AS no_show_rate
FROM weeks
