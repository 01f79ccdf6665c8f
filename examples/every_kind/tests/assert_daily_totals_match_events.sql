-- The daily totals add up to the events they summarise: every row returned is a failure.
select t.total, e.total
from (select sum(total) as total from {{ ref('daily_totals') }}) t
cross join (select sum(amount) as total from {{ ref('stg_events') }}) e
where t.total <> e.total
