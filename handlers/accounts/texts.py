"""Texts of the admin feature (/invite) and of the Telegram transport."""

TEXTS: dict[str, tuple[str, str]] = {
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
    "telegram.send_failed": (
        "抱歉，您的操作已处理，但回复未能完整送达。发送 /help 可继续。",
        "Sorry, your request was handled but the reply could not be delivered in full. "
        "Send /help to continue.",
    ),
    "telegram.file_too_big": (
        "文件过大，机器人最多只能接收 {limit} MB 的文件，未处理。",
        "The file is too large: the bot can receive files up to {limit} MB. It was not processed.",
    ),
}
