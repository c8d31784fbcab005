-- Days from each day to the first free place, per centre and product, from the daily availability snapshots.
-- refreshed by: availability_snapshots.snapshot_date
-- day: the date of the snapshot (the day someone would have booked)
-- centre_id: the centre
-- voivodeship: the centre's voivodeship (TERYT code)
-- powiat: the centre's powiat (TERYT code; null when the centre has none recorded)
-- vaccine_id: the product
-- days_to_first_free: days from the day to the centre's first free place for the product; null when none was free in the 28 days ahead
-- places_published: places for the product in the 28 days from the day
-- places_free: of those, places still free
WITH latest AS (
  -- A snapshot taken again the same day replaces the earlier one.
  SELECT
    *,
    ROW_NUMBER() OVER (PARTITION BY snapshot_date, centre_id, vaccine_id ORDER BY taken_at DESC) AS newest
  FROM `ereg.availability_snapshots`
  WHERE snapshot_date >= DATE '2020-01-01'
)
SELECT
  s.snapshot_date AS day,
  s.centre_id,
  c.voivodeship,
  c.powiat,
  s.vaccine_id,
  DATE_DIFF(s.first_free_date, s.snapshot_date, DAY) AS days_to_first_free,
  s.places_published,
  s.places_free
FROM latest AS s
LEFT JOIN `ereg.centres` AS c ON c.centre_id = s.centre_id
WHERE s.newest = 1
