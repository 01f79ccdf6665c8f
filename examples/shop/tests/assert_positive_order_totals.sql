-- An order never costs less than nothing: every row returned here is a failure.
select
    order_id,
    amount
from {{ ref('orders') }}
where amount < 0
