{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key=['event_id', 'user_id']) }}
select event_id, user_id, kind, amount, updated_at
from {{ ref('stg_events') }}
{% if is_incremental() %}
where updated_at > (select max(updated_at) from {{ this }})
{% endif %}
