"""The server-rendered UI: newsroom pages (login required) and public fact-check pages."""

from django.contrib.auth import views as auth_views
from django.urls import path

from articles import views as article_views
from reviews import views as review_views

urlpatterns = [
    path("", review_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Articles
    path("articles/", article_views.article_list, name="article-list"),
    path("articles/new/", article_views.article_create, name="article-create"),
    path("articles/<int:pk>/", article_views.article_detail, name="article-detail"),
    path("articles/<int:pk>/status/", article_views.article_status, name="article-status"),
    path("articles/<int:pk>/extract/", article_views.article_extract, name="article-extract"),
    # Claims and their actions (POST only)
    path("claims/", review_views.claim_queue, name="claim-queue"),
    path("claims/mine/", review_views.my_claims, name="my-claims"),
    path("claims/<int:pk>/", review_views.claim_detail, name="claim-detail"),
    path("claims/<int:pk>/accept/", review_views.claim_accept, name="claim-accept"),
    path("claims/<int:pk>/reject/", review_views.claim_reject, name="claim-reject"),
    path("claims/<int:pk>/assign/", review_views.claim_assign, name="claim-assign"),
    path("claims/<int:pk>/sources/", review_views.source_add, name="source-add"),
    path("claims/<int:pk>/ruling/", review_views.ruling_submit, name="ruling-submit"),
    path("rulings/<int:pk>/approve/", review_views.ruling_approve, name="ruling-approve"),
    path("rulings/<int:pk>/return/", review_views.ruling_return, name="ruling-return"),
    path("rulings/<int:pk>/publish/", review_views.ruling_publish, name="ruling-publish"),
    # Public
    path("fact-checks/", review_views.factcheck_index, name="factcheck-index"),
    path("fact-checks/<int:pk>/", review_views.factcheck_public, name="factcheck-public"),
]
