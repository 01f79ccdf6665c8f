select
    event_day,
    count(*) as events,
    sum(amount) as total,
    sum(score) as score,
    max({{ datediff('happened_at', 'updated_at', 'second') }}) as max_delay_seconds
from {{ ref('stg_events') }}
group by event_day
