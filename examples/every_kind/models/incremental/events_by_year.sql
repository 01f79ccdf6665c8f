{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='happened_at', batch_size='year',
          begin='2024-01-01', lookback=1, concurrent_batches=false) }}
select event_id, user_id, kind, amount, happened_at
from {{ ref('stg_events') }}
