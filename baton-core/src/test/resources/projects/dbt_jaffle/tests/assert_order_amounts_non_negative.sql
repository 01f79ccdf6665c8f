-- Fails for every order that cost less than nothing.
select
    order_id,
    amount
from {{ ref('orders') }}
where amount < 0
