-- Worked example for expression_is_true, unique_combination_of_columns and accepted_range
-- (tests/dbt_fixtures/generic_tests/_generic_tests__fixtures.yml). Row 3 breaks subtotal + tax = total,
-- row 4 has no total, rows 4 and 5 share customer_code and invoice_date.
with

invoices (id, customer_code, invoice_date, subtotal, tax, total) as (

    values
    (1, 'a', '2024-01-10', 100, 20, 120),
    (2, 'a', '2024-02-10', 50, 0, 50),
    (3, 'b', '2024-02-11', 80, 16, 100),
    (4, 'c', '2024-03-01', 10, 2, null),
    (5, 'c', '2024-03-01', 10, 2, 12)

)

select
    id,
    customer_code,
    cast(invoice_date as date) as invoice_date,
    subtotal,
    tax,
    total
from invoices
