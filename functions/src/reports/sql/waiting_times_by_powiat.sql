-- Days from each day to the first free place anywhere in a powiat, any product, from the daily availability snapshots.
-- day: the date of the snapshot
-- voivodeship: the voivodeship (TERYT code)
-- powiat: the powiat (TERYT code; null for centres with none recorded)
-- centres: centres of the powiat in the snapshot
-- days_to_first_free: days to the powiat's earliest free place; null when none was free in the 28 days ahead
-- places_free: places free in the 28 days ahead, all centres and products of the powiat
SELECT
  day,
  voivodeship,
  powiat,
  COUNT(DISTINCT centre_id) AS centres,
  MIN(days_to_first_free) AS days_to_first_free,
  SUM(places_free) AS places_free
FROM `ereg.waiting_times_daily`
GROUP BY day, voivodeship, powiat
