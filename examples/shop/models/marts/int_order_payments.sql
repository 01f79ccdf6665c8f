{{ config(materialized='ephemeral') }}

-- One row per order and payment method: what orders pivots on.
select
    order_id,
    payment_method,
    sum(amount) as amount
from {{ ref('stg_payments') }}
group by order_id, payment_method
