-- Doses given per day by voivodeship, age band, product and dose, for publication: a count under 10 is withheld (null).
-- suppressed below: 10
-- day: the local date the doses were given
-- voivodeship: the voivodeship of the centres that gave them (TERYT code)
-- age_band: the people's age band (0-17, 18-24, 25-49, 50-59, 60-69, 70-79, 80+, unknown)
-- vaccine_id: the product
-- dose: the dose number
-- doses: doses given; null when fewer than 10
SELECT
  day,
  voivodeship,
  age_band,
  vaccine_id,
  dose,
  IF(SUM(doses) < 10, NULL, SUM(doses)) AS doses
FROM `ereg.doses_daily`
GROUP BY day, voivodeship, age_band, vaccine_id, dose
