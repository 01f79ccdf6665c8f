{{ config(materialized='incremental', incremental_strategy='merge', unique_key='event_id') }}
select event_id, user_id, kind, amount, score, updated_at
from {{ ref('stg_events') }}
{% if is_incremental() %}
where updated_at > (select max(updated_at) from {{ this }})
{% endif %}
