{{ config(materialized='ephemeral') }}
select
    user_id,
    name,
    country,
    updated_at
from {{ ref('raw_users') }}
