select
    id as order_id,
    user_id as customer_id,
    order_date,
    status
from {{ ref('raw_orders') }}
-- orders before the shop opened are test data
where order_date >= '{{ var("first_order_date", "2018-01-01") }}'
