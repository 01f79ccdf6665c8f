{% snapshot users_history %}
{{ config(unique_key='user_id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate') }}
select user_id, name, country, updated_at from {{ ref('raw_users') }}
{% endsnapshot %}

{% snapshot users_countries %}
{{ config(unique_key='user_id', strategy='check', check_cols=['country'], hard_deletes='new_record') }}
select user_id, country from {{ ref('raw_users') }}
{% endsnapshot %}
