from django.urls import path

from spilka.funds.views import books, expenses, imports, public, reference_rates

app_name = "funds"

urlpatterns = [
    path("money/", public.index, name="index"),
    path("money/org/<uslug:org>/", public.organisation_page, name="organisation"),
    path("money/org/<uslug:org>/ledger.csv", public.organisation_csv, name="ledger_csv"),
    path("money/campaign/<uslug:slug>/", public.campaign_page, name="campaign"),
    path("money/campaign/<uslug:slug>/ledger.csv", public.campaign_csv, name="campaign_csv"),
    path("money/org/<uslug:org>/books/", books.books, name="books"),
    path("money/org/<uslug:org>/books/new-fund/", books.fund_new, name="fund_new"),
    path("money/org/<uslug:org>/books/settings/", books.treasury_settings, name="settings"),
    path("money/org/<uslug:org>/books/funds/<uslug:fund>/", books.fund_detail, name="fund"),
    path(
        "money/org/<uslug:org>/books/funds/<uslug:fund>/books.<str:fmt>",
        books.books_export,
        name="books_export",
    ),
    path(
        "money/org/<uslug:org>/books/funds/<uslug:fund>/record/", books.entry_record, name="record"
    ),
    path(
        "money/org/<uslug:org>/books/entries/<int:pk>/reverse/", books.entry_reverse, name="reverse"
    ),
    path("money/org/<uslug:org>/books/rates/", books.rates_page, name="rates"),
    path("money/reference-rates/", reference_rates.reference_rates, name="reference_rates"),
    path("money/org/<uslug:org>/books/shop/", books.shop, name="shop"),
    path("money/org/<uslug:org>/books/expenses/new/", expenses.expense_new, name="expense_new"),
    path("money/org/<uslug:org>/books/expenses/<int:pk>/", expenses.expense_detail, name="expense"),
    path(
        "money/org/<uslug:org>/books/receipts/<int:pk>/", expenses.receipt_download, name="receipt"
    ),
    path("money/org/<uslug:org>/books/imports/new/", imports.import_new, name="import_new"),
    path("money/org/<uslug:org>/books/imports/<int:pk>/", imports.import_detail, name="import"),
    path(
        "money/org/<uslug:org>/books/imports/<int:pk>/progress.json",
        imports.import_progress,
        name="import_progress",
    ),
]
