select
    id as customer_id,
    first_name,
    last_name,
    zip_code
from {{ ref('raw_customers') }}
