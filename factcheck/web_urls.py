"""The server-rendered UI: newsroom pages (login required) and public fact-check pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from articles import views as article_views
from factcheck import account_views
from reviews import dashboard as dashboard_views
from reviews import views as review_views
from reviews.views.queue import claim_board
from reviews.views.rulings import source_edit_form, source_row

urlpatterns = [
    path("", review_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Articles
    path("articles/", article_views.article_list, name="article-list"),
    path("articles/new/", article_views.article_create, name="article-create"),
    path("articles/import/", article_views.article_import, name="article-import"),
    path("articles/<int:pk>/", article_views.article_detail, name="article-detail"),
    path("articles/<int:pk>/status/", article_views.article_status, name="article-status"),
    path("articles/<int:pk>/extract/", article_views.article_extract, name="article-extract"),
    # Triage on the article page (POST only)
    path("articles/<int:pk>/triage/", article_views.article_triage, name="article-triage"),
    path("articles/<int:pk>/claims/add/", article_views.article_claim_add, name="article-claim-add"),
    path("articles/<int:pk>/claims/<int:claim_pk>/edit/", article_views.article_claim_edit, name="article-claim-edit"),
    path("articles/<int:pk>/claims/merge/", article_views.article_claim_merge, name="article-claim-merge"),
    # Claims and their actions (POST only)
    path("claims/", review_views.claim_queue, name="claim-queue"),
    path("claims/mine/", review_views.my_claims, name="my-claims"),
    path("claims/board/", claim_board, name="claim-board"),
    path("claims/bulk-assign/", review_views.claims_bulk_assign, name="claims-bulk-assign"),
    path("claims/auto-assign/", review_views.claims_auto_assign, name="claims-auto-assign"),
    path("claims/<int:pk>/", review_views.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/accept/", review_views.claim_accept, name="claim-accept"),
    path("claims/<int:pk>/reject/", review_views.claim_reject, name="claim-reject"),
    path("claims/<int:pk>/merge/", review_views.claim_merge, name="claim-merge"),
    path("claims/<int:pk>/assign/", review_views.claim_assign, name="claim-assign"),
    path("claims/<int:pk>/take/", review_views.claim_self_assign, name="claim-self-assign"),
    path("claims/<int:pk>/start/", review_views.claim_start_review, name="claim-start"),
    path("claims/<int:pk>/update/", review_views.claim_update, name="claim-update"),
    path("claims/<int:pk>/comments/", review_views.comment_add, name="comment-add"),
    path("claims/<int:pk>/sources/", review_views.source_add, name="source-add"),
    path("claims/<int:pk>/ruling/draft/", review_views.ruling_save_draft, name="ruling-draft"),
    path("claims/<int:pk>/ruling/", review_views.ruling_submit, name="ruling-submit"),
    path("sources/<int:pk>/", source_row, name="source-row"),
    path("sources/<int:pk>/form/", source_edit_form, name="source-edit-form"),
    path("sources/<int:pk>/edit/", review_views.source_update, name="source-update"),
    path("sources/<int:pk>/remove/", review_views.source_remove, name="source-remove"),
    path("rulings/<int:pk>/approve/", review_views.ruling_approve, name="ruling-approve"),
    path("rulings/<int:pk>/return/", review_views.ruling_return, name="ruling-return"),
    path("rulings/<int:pk>/publish/", review_views.ruling_publish, name="ruling-publish"),
    path("rulings/<int:pk>/correct/", review_views.ruling_correct, name="ruling-correct"),
    # Public
    path("fact-checks/", review_views.factcheck_index, name="factcheck-index"),
    path("fact-checks/<int:pk>/", review_views.factcheck_public, name="factcheck-public"),
    path("fact-checks/articles/<int:pk>/", dashboard_views.published_article, name="factcheck-article"),
    # Oversight
    path("dashboard/", dashboard_views.dashboard, name="dashboard"),
    # Account
    path("account/tokens/", account_views.api_tokens, name="account-tokens"),
    path("account/tokens/<int:pk>/revoke/", account_views.api_token_revoke, name="account-token-revoke"),
]
