"""Texts of the chat basics: /start, /help, /cancel, /whoami, /lang, /bind and /invite."""

TEXTS: dict[str, tuple[str, str]] = {
    "start.welcome": (
        "您好，{name}！我是联合抽查助手，协助开展部门联合“双随机、一公开”监管。\n您的角色：{roles}",
        "Hello, {name}! I am JointCheck, the assistant for joint "
        '"double random, one public" spot checks.\nYour roles: {roles}',
    ),
    "start.stranger": (
        "您好！我是联合抽查助手。请发送 /bind 邀请码 绑定您的账号。",
        "Hello! I am JointCheck. Send /bind CODE to bind your account.",
    ),
    "button.help": ("帮助", "Help"),
    "button.whoami": ("我是谁", "Who am I"),
    "button.lang": ("切换语言", "Language"),
    "help.header": ("您可以使用以下命令：", "You can use these commands:"),
    "help.footer": (
        "随时发送 /cancel 可退出当前操作。",
        "Send /cancel at any time to leave the current step.",
    ),
    "cmd.start": ("开始使用", "Start"),
    "cmd.help": ("查看可用命令", "List what you can do"),
    "cmd.cancel": ("退出当前操作", "Leave the current step"),
    "cmd.whoami": ("查看我的账号与角色", "Show my account and roles"),
    "cmd.lang": ("切换语言（zh / en）", "Switch language (zh / en)"),
    "cmd.bind": ("用邀请码绑定账号", "Bind your account with an invite code"),
    "cancel.done": ("已退出当前操作。", "Left the current step."),
    "cancel.nothing": ("当前没有进行中的操作。", "There is nothing to leave."),
    "whoami.text": (
        "姓名：{name}\n登录名：{login}\n角色：{roles}\n平台：{platform}\n语言：{language}",
        "Name: {name}\nLogin: {login}\nRoles: {roles}\nPlatform: {platform}\nLanguage: {language}",
    ),
    "lang.choose": ("请选择语言：", "Choose a language:"),
    "lang.set": ("语言已切换为中文。", "Language set to English."),
    "lang.bad": (
        "不支持的语言：{value}。可选：zh、en。",
        "Unsupported language: {value}. Use zh or en.",
    ),
    "bind.usage": ("用法：/bind 邀请码", "Usage: /bind CODE"),
    "bind.bound": (
        "绑定成功，{name}！发送 /help 查看可用命令。",
        "Bound, {name}! Send /help to see what you can do.",
    ),
    "bind.already": ("此账号已绑定，无需重复绑定。", "This account is already bound."),
    "bind.wrong": ("邀请码不正确。", "That invite code is not valid."),
    "bind.used": ("该邀请码已被使用。", "That invite code has already been used."),
    "bind.expired": ("该邀请码已过期，请向管理员重新索取。", "That invite code has expired."),
    "bind.locked": (
        "错误尝试次数过多，请一小时后再试。",
        "Too many wrong tries; please try again in an hour.",
    ),
    "invite.bad_role": ("未知角色：{role}", "Unknown role: {role}"),
    "invite.no_inspector": (
        "名录库中没有在职的执法证号 {cert}。",
        "No active inspector with certificate {cert}.",
    ),
    "invite.no_user": ("没有登录名为 {login} 的用户。", "No user with login {login}."),
    "invite.no_target": ("请指定执法证号或登录名。", "Give a certificate number or a login."),
    "cmd.invite": (
        "生成绑定邀请码（管理员）：/invite 角色 执法证号或登录名",
        "Issue an invite code (admins): /invite ROLE CERT_OR_LOGIN",
    ),
    "invite.usage": (
        "用法：/invite 角色 执法证号或登录名\n"
        "角色：admin（管理员）、coordinator（联席办协调员）、inspector（检查人员）、leader（领导）\n"
        "例如：/invite inspector 630201900001",
        "Usage: /invite ROLE CERT_OR_LOGIN\n"
        "Roles: admin, coordinator, inspector, leader\n"
        "Example: /invite inspector 630201900001",
    ),
    "invite.unknown_target": (
        "名录库中没有在职的执法证号 {target}，也没有登录名为 {target} 的用户。",
        "No active inspector with certificate {target} and no user with login {target}.",
    ),
    "invite.created": (
        "邀请码：{code}\n"
        "角色：{role}；对象：{target}\n"
        "有效期至 {expires}（北京时间），仅可使用一次。\n"
        "请对方在与机器人的私聊中发送：\n/bind {code}\n"
        "邀请码只显示这一次，请通过可靠渠道当面或电话转交，不要发到群里。",
        "Invite code: {code}\n"
        "Role: {role}; for: {target}\n"
        "Valid until {expires} (Beijing time), single use.\n"
        "Ask them to send this in a private chat with the bot:\n/bind {code}\n"
        "The code is shown only once; pass it on in person or by phone, never in a group.",
    ),
}
