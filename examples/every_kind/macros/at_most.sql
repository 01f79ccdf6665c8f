{#- A custom generic check: the column's values must not exceed limit_value. -#}
{% test at_most(model, column_name, limit_value) %}
select {{ column_name }} from {{ model }} where {{ column_name }} > {{ limit_value }}
{% endtest %}
