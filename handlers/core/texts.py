"""Texts of the core commands and of the router's refusals."""

_CORE: dict[str, tuple[str, str]] = {
    "error.not_allowed": (
        "抱歉，您的角色无权执行此操作。",
        "Sorry, your role does not allow this.",
    ),
    "error.internal": (
        "抱歉，处理时出现内部错误，本次操作未生效。请稍后再试或联系管理员。",
        "Sorry, an internal error occurred; nothing was changed. "
        "Please try again later or contact the administrator.",
    ),
    "error.unknown_command": (
        "未知命令：{command}。发送 /help 查看可用命令。",
        "Unknown command: {command}. Send /help to see what you can do.",
    ),
    "error.too_long": (
        "消息过长（{length} 字，上限 {limit} 字），未处理。",
        "The message is too long ({length} characters, limit {limit}); it was not processed.",
    ),
    "error.unknown_button": (
        "这个按钮已失效或无法识别，未执行任何操作。发送 /help 重新开始。",
        "This button is no longer valid or not recognised; nothing was done. "
        "Send /help to start again.",
    ),
    "error.stranger": (
        "您好！您还没有绑定账号，暂时无法使用。请向管理员索取邀请码，然后发送 /bind 邀请码。",
        "Hello! Your account is not bound yet. Ask the administrator for an invite code, "
        "then send /bind CODE.",
    ),
    "error.inactive": (
        "您的账号已停用，无法继续使用。如有疑问请联系管理员。",
        "Your account is deactivated. Contact the administrator if this is a mistake.",
    ),
    "error.not_understood": (
        "没有理解您的消息。发送 /help 查看可用命令。",
        "I did not understand that. Send /help to see what you can do.",
    ),
    "error.file_unexpected": (
        "现在不需要文件。发送 /help 查看可用命令。",
        "No file is expected now. Send /help to see what you can do.",
    ),
    "error.group_private": (
        "请在与机器人的私聊中使用此命令。",
        "Please use this command in a private chat with the bot.",
    ),
    "error.duplicate_update": ("", ""),
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
    "role.admin": ("管理员", "administrator"),
    "role.coordinator": ("联席办协调员", "coordinator"),
    "role.inspector": ("检查人员", "inspector"),
    "role.leader": ("领导", "leader"),
    "roles.none": ("无", "none"),
    "list.sep": ("、", ", "),
}

_CONSOLE: dict[str, tuple[str, str]] = {
    "console.banner": (
        "联合抽查助手 控制台（用户 {login}）。输入 /help 查看命令；输入数字选择按钮；"
        "输入 @file 路径 发送文件；Ctrl-D 退出。",
        "JointCheck console (user {login}). Type /help; a number presses a button; "
        "@file PATH sends a file; Ctrl-D quits.",
    ),
    "console.no_file": ("无法读取文件：", "Cannot read the file:"),
}

_ACCOUNTS: dict[str, tuple[str, str]] = {
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
}

TEXTS: dict[str, tuple[str, str]] = {**_CORE, **_CONSOLE, **_ACCOUNTS}
