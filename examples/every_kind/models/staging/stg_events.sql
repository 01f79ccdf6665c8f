select
    event_id,
    user_id,
    cast(kind as {{ type_string() }}) as kind,
    amount,
    score,
    happened_at,
    updated_at,
    event_day,
    {{ safe_cast('event_id', type_bigint()) }} as event_number
from {{ ref('raw_events') }}
