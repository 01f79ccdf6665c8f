{{ config(materialized='view', alias='customer_tiers') }}

{%- set tiers = [{'name': 'gold', 'floor': 30}, {'name': 'silver', 'floor': 10}] %}

select
    customer_id,
    lifetime_value,
    case
        {%- for tier in tiers %}
        when lifetime_value >= {{ tier.floor }} then '{{ tier.name }}'
        {%- if loop.last %}
        else 'bronze'
        {%- endif %}
        {%- endfor %}
    end as tier
from {{ ref('customers') }}
