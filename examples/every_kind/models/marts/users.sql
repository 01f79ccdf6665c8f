select
    user_id,
    name,
    country,
    {{ concat(["name", "' ('", "country", "')'"]) }} as label,
    {{ hash('name') }} as name_hash,
    {{ date_trunc('month', 'updated_at') }} as updated_month,
    {{ dateadd('day', 30, 'updated_at') }} as review_at
from {{ ref('stg_users') }}
