{{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by='event_day') }}
select event_day, user_id, count(*) as events, sum(amount) as amount
from {{ ref('stg_events') }}
{% if is_incremental() %}
where event_day >= (select max(event_day) from {{ this }})
{% endif %}
group by event_day, user_id
