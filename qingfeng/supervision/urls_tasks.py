from django.urls import path

from qingfeng.core import navigation
from qingfeng.supervision.views import overview, tasks

urlpatterns = [
    path("tasks/", tasks.task_list, name="task_list"),
    path("tasks/export/", tasks.task_export, name="task_export"),
    path("tasks/new/", tasks.task_new, name="task_new"),
    path("tasks/<int:pk>/", tasks.task_detail, name="task_detail"),
    path("tasks/<int:pk>/report/", tasks.task_report, name="task_report"),
    path("tasks/<int:pk>/submit/", tasks.task_submit, name="task_submit"),
    path("tasks/<int:pk>/approve/", tasks.task_approve, name="task_approve"),
    path("tasks/<int:pk>/return/", tasks.task_return, name="task_return"),
    path("tasks/<int:pk>/extend/", tasks.task_extend, name="task_extend"),
    path("tasks/<int:pk>/watch/", tasks.task_watch, name="task_watch"),
    path("tasks/<int:pk>/instruct/", tasks.task_instruct, name="task_instruct"),
    path("parts/<int:pk>/sign/", tasks.part_sign, name="part_sign"),
    path("extensions/<int:pk>/decide/", tasks.extension_decide, name="extension_decide"),
    path("board/", tasks.board, name="board"),
    path("overview/", overview.overview, name="overview"),
]

navigation.register("督查督办", "督办事项", "supervision:task_list", "supervision.view", prefix="supervision:task")
navigation.register("督查督办", "督办看板", "supervision:board", "supervision.view", prefix="supervision:board")
navigation.register("督查督办", "单位总览", "supervision:overview", "supervision.view")
