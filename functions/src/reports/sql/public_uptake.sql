-- Uptake to date by voivodeship and age band: people with at least one dose and people fully vaccinated, per 100 inhabitants; a count under 10 is withheld with its share.
-- suppressed below: 10
-- voivodeship: the voivodeship of the centres that gave the doses (TERYT code)
-- age_band: the people's age band at their dose (0-17, 18-24, 25-49, 50-59, 60-69, 70-79, 80+, unknown)
-- population: inhabitants of the voivodeship in the band (population table); null for unknown
-- people_vaccinated: people given a first dose; null when fewer than 10
-- people_fully_vaccinated: people given the last dose of their product's primary course; null when fewer than 10
-- vaccinated_per_100: people_vaccinated per 100 inhabitants, one decimal
-- fully_vaccinated_per_100: people_fully_vaccinated per 100 inhabitants, one decimal
WITH counted AS (
  SELECT
    d.voivodeship,
    d.age_band,
    SUM(IF(d.dose = 1, d.doses, 0)) AS people_vaccinated,
    SUM(IF(d.completes_course = 1, d.doses, 0)) AS people_fully_vaccinated
  FROM `ereg.doses_daily` AS d
  GROUP BY d.voivodeship, d.age_band
)
SELECT
  c.voivodeship,
  c.age_band,
  p.people AS population,
  IF(c.people_vaccinated < 10, NULL, c.people_vaccinated) AS people_vaccinated,
  IF(c.people_fully_vaccinated < 10, NULL, c.people_fully_vaccinated) AS people_fully_vaccinated,
  IF(c.people_vaccinated < 10, NULL, ROUND(100 * SAFE_DIVIDE(c.people_vaccinated, p.people), 1)) AS vaccinated_per_100,
  IF(
    c.people_fully_vaccinated < 10,
    NULL,
    ROUND(100 * SAFE_DIVIDE(c.people_fully_vaccinated, p.people), 1)
  ) AS fully_vaccinated_per_100
FROM counted AS c
LEFT JOIN `ereg.population` AS p ON p.voivodeship = c.voivodeship AND p.age_band = c.age_band
